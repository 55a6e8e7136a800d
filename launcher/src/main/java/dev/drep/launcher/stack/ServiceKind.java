package dev.drep.launcher.stack;

/** The four drep services the launcher runs, by their Maven module names. */
public enum ServiceKind {
    SCANNER("scanner-service", 8081, true, true),
    ANALYZER("analyzer-service", 8082, true, true),
    LLM_GATEWAY("llm-gateway", 8083, true, false),
    REVIEW_PUBLISHER("review-publisher", 8084, true, true);

    private final String module;
    private final int defaultPort;
    private final boolean usesDatabase;
    private final boolean usesBroker;

    ServiceKind(String module, int defaultPort, boolean usesDatabase, boolean usesBroker) {
        this.module = module;
        this.defaultPort = defaultPort;
        this.usesDatabase = usesDatabase;
        this.usesBroker = usesBroker;
    }

    /** @return the Maven module (and log file) name, e.g. {@code scanner-service} */
    public String module() {
        return module;
    }

    /** @return the port the service uses when run on its own; {@code drep up} prefers it when free */
    public int defaultPort() {
        return defaultPort;
    }

    /** @return true when the service needs PostgreSQL or the broker running before it starts */
    public boolean needsInfrastructure() {
        return usesDatabase || usesBroker;
    }

    /** @return true when the service keeps data in its PostgreSQL schema */
    public boolean usesDatabase() {
        return usesDatabase;
    }

    /** @return true when the service sends or receives AMQP messages */
    public boolean usesBroker() {
        return usesBroker;
    }
}
