package dev.drep.launcher.stack;

/** The four drep services the launcher runs, by their Maven module names. */
public enum ServiceKind {
    SCANNER("scanner-service", 8081, true),
    ANALYZER("analyzer-service", 8082, true),
    LLM_GATEWAY("llm-gateway", 8083, false),
    REVIEW_PUBLISHER("review-publisher", 8084, true);

    private final String module;
    private final int defaultPort;
    private final boolean needsInfrastructure;

    ServiceKind(String module, int defaultPort, boolean needsInfrastructure) {
        this.module = module;
        this.defaultPort = defaultPort;
        this.needsInfrastructure = needsInfrastructure;
    }

    /** @return the Maven module (and log file) name, e.g. {@code scanner-service} */
    public String module() {
        return module;
    }

    /** @return the port the service uses when run on its own; {@code drep up} prefers it when free */
    public int defaultPort() {
        return defaultPort;
    }

    /** @return true when the service needs PostgreSQL and the broker running before it starts */
    public boolean needsInfrastructure() {
        return needsInfrastructure;
    }
}
