package dev.drep.launcher.stack;

import dev.drep.core.identity.TokenHashes;
import dev.drep.embedded.LocalPostgres;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one place that knows how the launcher configures each service: the JVM options, the system
 * properties passed with {@code -D}, and the environment variables a service gets or must not get.
 * The services' engineers align their configuration names with the constants here.
 */
public final class ServiceProperties {
    /** JVM options for every service: quick start on small machines matters more than peak speed locally. */
    public static final List<String> JVM_OPTIONS =
            List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC", "-Xmx256m");

    /** The user's LLM provider settings: environment variables read by the launcher. */
    public static final String LLM_BASE_URL_VARIABLE = "DREP_LLM_BASE_URL";
    public static final String LLM_API_KEY_VARIABLE = "DREP_LLM_API_KEY";
    public static final String LLM_MODEL_VARIABLE = "DREP_LLM_MODEL";
    /**
     * The provider model of the verifier pass (task class {@code verify}), when it should not be {@link #LLM_MODEL_VARIABLE}'s:
     * the gateway gets an alias {@value #VERIFY_ALIAS} for it and routes the task class there.
     */
    public static final String LLM_VERIFY_MODEL_VARIABLE = "DREP_LLM_VERIFY_MODEL";
    /** The gateway alias of {@link #LLM_VERIFY_MODEL_VARIABLE}'s model. */
    public static final String VERIFY_ALIAS = "verifier";
    /** Every variable with this prefix is the gateway's business and is withheld from the other services. */
    public static final String LLM_VARIABLE_PREFIX = "DREP_LLM_";

    /** The gateway's configuration properties that receive the provider settings. */
    public static final String PROVIDER_BASE_URL_PROPERTY = "drep.gateway.provider.base-url";
    public static final String PROVIDER_API_KEY_PROPERTY = "drep.gateway.provider.api-key";
    public static final String DEFAULT_MODEL_PROPERTY = "drep.gateway.default-model";

    /**
     * Observability switches for every service (docs/observability.md): {@code DREP_OTLP_ENDPOINT} exports
     * traces there (all of them, unless {@code DREP_TRACES_SAMPLE_RATIO} says otherwise), over
     * {@code DREP_OTLP_PROTOCOL} ({@code grpc}, the default, or {@code http/protobuf});
     * {@code DREP_LOG_FORMAT=json} writes one JSON object per log line.
     */
    public static final String OTLP_ENDPOINT_VARIABLE = "DREP_OTLP_ENDPOINT";
    public static final String OTLP_PROTOCOL_VARIABLE = "DREP_OTLP_PROTOCOL";
    public static final String TRACES_SAMPLE_RATIO_VARIABLE = "DREP_TRACES_SAMPLE_RATIO";
    public static final String LOG_FORMAT_VARIABLE = "DREP_LOG_FORMAT";
    /** All of them, for the {@code drep up} daemon that starts the services. */
    public static final Set<String> OBSERVABILITY_VARIABLES = Set.of(OTLP_ENDPOINT_VARIABLE, OTLP_PROTOCOL_VARIABLE,
            TRACES_SAMPLE_RATIO_VARIABLE, LOG_FORMAT_VARIABLE);
    /** The API token cache time the user may set for the stack ({@link #INTROSPECTION_CACHE_TIME_PROPERTY}). */
    public static final String INTROSPECTION_CACHE_TIME_VARIABLE = "DREP_IDENTITY_INTROSPECTION_CACHE_TIME";

    /** The services' configuration properties that receive the observability switches. */
    public static final String OTLP_ENDPOINT_PROPERTY = "quarkus.otel.exporter.otlp.traces.endpoint";
    public static final String OTLP_PROTOCOL_PROPERTY = "quarkus.otel.exporter.otlp.traces.protocol";
    public static final String SAMPLE_RATIO_PROPERTY = "quarkus.otel.traces.sampler.arg";
    public static final String JSON_LOGS_PROPERTY = "quarkus.log.console.json.enabled";

    /** Identity (docs/architecture.md, "Identity"): the hashes of the tokens a service accepts, and its own token. */
    public static final String ADMIN_TOKEN_HASH_PROPERTY = "drep.identity.callers.admin.token-sha256";
    public static final String SCANNER_TOKEN_HASH_PROPERTY = "drep.identity.callers.scanner.token-sha256";
    public static final String ANALYZER_TOKEN_HASH_PROPERTY = "drep.identity.callers.analyzer.token-sha256";
    public static final String GATEWAY_TOKEN_HASH_PROPERTY = "drep.identity.callers.gateway.token-sha256";
    public static final String PUBLISHER_TOKEN_HASH_PROPERTY = "drep.identity.callers.publisher.token-sha256";
    public static final String SERVICE_TOKEN_PROPERTY = "drep.identity.service-token";
    /** Where the gateway and the publisher ask about API tokens: the scanner's token introspection. */
    public static final String INTROSPECTION_URL_PROPERTY = "drep.identity.introspection.url";
    /**
     * How long they reuse an answer (30 s unless the user sets {@code DREP_IDENTITY_INTROSPECTION_CACHE_TIME}, which
     * the launcher hands to both): a revoked API token still works there for at most this long.
     */
    public static final String INTROSPECTION_CACHE_TIME_PROPERTY = "drep.identity.introspection.cache-time";
    /** The address every service listens on: loopback unless {@code drep up --listen} says otherwise. */
    public static final String HOST_PROPERTY = "quarkus.http.host";
    /**
     * Health and metrics are on each service's management interface (docs/architecture.md, "Identity"): a port of its
     * own per service, bound to the same address as the API.
     */
    public static final String MANAGEMENT_PORT_PROPERTY = "quarkus.management.port";
    public static final String MANAGEMENT_HOST_PROPERTY = "quarkus.management.host";
    public static final String LOOPBACK = "127.0.0.1";

    /** The REST client configuration keys of the services that call one another. */
    public static final String PUBLISHER_CLIENT_URL_PROPERTY = "quarkus.rest-client.review-publisher.url";
    public static final String GATEWAY_CLIENT_URL_PROPERTY = "quarkus.rest-client.llm-gateway.url";

    /**
     * Local-path reviews: the services refuse them unless told otherwise; the launcher's own stack turns
     * them on, limited to the user's home folder, the system's temporary folder and any folders listed in
     * {@code DREP_LOCAL_ROOTS} (separated by the platform's path separator, {@code :} on Linux and macOS).
     * The repository and the output folder of a review run by a temporary stack are added too.
     */
    public static final String LOCAL_ROOTS_VARIABLE = "DREP_LOCAL_ROOTS";
    public static final String SCANNER_LOCAL_REVIEWS_PROPERTY = "drep.scanner.local-reviews.enabled";
    public static final String SCANNER_LOCAL_ROOTS_PROPERTY = "drep.scanner.local-reviews.roots";
    public static final String SCANNER_OUTPUT_ROOTS_PROPERTY = "drep.scanner.local-reviews.output-roots";
    public static final String PUBLISHER_LOCAL_REVIEWS_PROPERTY = "drep.publisher.local-reviews.enabled";
    public static final String PUBLISHER_OUTPUT_ROOTS_PROPERTY = "drep.publisher.local-reviews.output-roots";

    /**
     * How long the analyzer waits for an unavailable gateway or provider. A local gateway restarts in seconds under
     * the stack's supervisor, and a laptop without a running model should hear so in a minute, not in the
     * service's default 3 minutes; {@code DREP_ANALYZER_LLM_PATIENCE} still decides when the user sets it.
     */
    public static final String LLM_PATIENCE_PROPERTY = "drep.analyzer.llm.patience";
    /**
     * Whether the gateway shares its limits with other replicas over PostgreSQL. The local stack runs one gateway, which
     * has nobody to share them with, and the shared admission statement costs it three quarters of its throughput
     * (docs/benchmarks.md): off, unless {@code DREP_GATEWAY_LIMITS_SHARED} says otherwise.
     */
    public static final String GATEWAY_SHARED_LIMITS_PROPERTY = "drep.gateway.limits.shared";
    static final String LOCAL_LLM_PATIENCE = "60s";

    private ServiceProperties() {
    }

    /**
     * @return the folders the launcher's stack reviews repositories in and writes reviews to: the user's home,
     *         the temporary folder and the entries of {@link #LOCAL_ROOTS_VARIABLE}, as a configuration list
     *         (commas escaped, since SmallRye splits lists at commas)
     */
    public static String localRoots(Map<String, String> variables) {
        Set<String> roots = new LinkedHashSet<>();
        roots.add(System.getProperty("user.home"));
        roots.add(System.getProperty("java.io.tmpdir"));
        String extra = variables.get(LOCAL_ROOTS_VARIABLE);
        if (extra != null) {
            for (String root : extra.split(java.io.File.pathSeparator)) {
                if (!root.isBlank()) {
                    roots.add(root.strip());
                }
            }
        }
        return roots.stream().filter(r -> r != null && !r.isBlank()).map(r -> r.replace(",", "\\,"))
                .collect(Collectors.joining(","));
    }

    /**
     * @return {@code variables} with {@code folders} added to {@link #LOCAL_ROOTS_VARIABLE}: a temporary
     *         stack started for one review also accepts that review's repository and output folder
     */
    public static Map<String, String> withLocalRoots(Map<String, String> variables, List<String> folders) {
        Map<String, String> added = new LinkedHashMap<>(variables);
        String current = variables.get(LOCAL_ROOTS_VARIABLE);
        List<String> all = new ArrayList<>();
        if (current != null && !current.isBlank()) {
            all.add(current);
        }
        all.addAll(folders);
        added.put(LOCAL_ROOTS_VARIABLE, String.join(java.io.File.pathSeparator, all));
        return added;
    }

    /**
     * The system properties of a service. The API key is deliberately not among them: a command line
     * is visible to every user of the machine ({@code ps}), so it goes in the gateway's environment
     * (see {@link #addedEnvironment}).
     *
     * @param kind      the service
     * @param ports     the stack's ports
     * @param postgres  JDBC URL, reactive URL, user and password of the shared database
     * @param variables the environment the user gave the launcher
     * @param access    the stack's tokens and the address its services listen on
     */
    public static Map<String, String> systemProperties(ServiceKind kind, StackPorts ports, Database postgres,
            Map<String, String> variables, Access access) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.http.port", Integer.toString(ports.of(kind)));
        properties.put(HOST_PROPERTY, access.listen());
        properties.put(MANAGEMENT_PORT_PROPERTY, Integer.toString(ports.managementOf(kind)));
        properties.put(MANAGEMENT_HOST_PROPERTY, access.listen());
        properties.put(ADMIN_TOKEN_HASH_PROPERTY, TokenHashes.sha256(access.credentials().admin()));
        String scannerUrl = "http://127.0.0.1:" + ports.of(ServiceKind.SCANNER);
        switch (kind) {
            case SCANNER -> {
                // the gateway and the publisher ask it what API tokens grant
                properties.put(GATEWAY_TOKEN_HASH_PROPERTY, TokenHashes.sha256(access.credentials().gateway()));
                properties.put(PUBLISHER_TOKEN_HASH_PROPERTY, TokenHashes.sha256(access.credentials().publisher()));
            }
            case REVIEW_PUBLISHER -> {
                properties.put(SCANNER_TOKEN_HASH_PROPERTY, TokenHashes.sha256(access.credentials().scanner()));
                properties.put(INTROSPECTION_URL_PROPERTY, scannerUrl);
                putIfSet(properties, INTROSPECTION_CACHE_TIME_PROPERTY, variables.get(INTROSPECTION_CACHE_TIME_VARIABLE));
            }
            case LLM_GATEWAY -> {
                properties.put(ANALYZER_TOKEN_HASH_PROPERTY, TokenHashes.sha256(access.credentials().analyzer()));
                // the scanner asks it /drep ask questions
                properties.put(SCANNER_TOKEN_HASH_PROPERTY, TokenHashes.sha256(access.credentials().scanner()));
                properties.put(INTROSPECTION_URL_PROPERTY, scannerUrl);
                putIfSet(properties, INTROSPECTION_CACHE_TIME_PROPERTY, variables.get(INTROSPECTION_CACHE_TIME_VARIABLE));
            }
            default -> {
                // the analyzer accepts only the admin token
            }
        }
        if (kind.usesDatabase()) {
            properties.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
            properties.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
            properties.put("quarkus.datasource.username", postgres.user());
            properties.put("quarkus.datasource.password", postgres.password());
        }
        if (kind.usesBroker()) {
            properties.put("amqp-host", "127.0.0.1");
            properties.put("amqp-port", Integer.toString(ports.broker()));
        }
        String otlpEndpoint = variables.get(OTLP_ENDPOINT_VARIABLE);
        if (otlpEndpoint != null && !otlpEndpoint.isBlank()) {
            properties.put(OTLP_ENDPOINT_PROPERTY, otlpEndpoint);
            String ratio = variables.get(TRACES_SAMPLE_RATIO_VARIABLE);
            properties.put(SAMPLE_RATIO_PROPERTY, ratio == null || ratio.isBlank() ? "1" : ratio);
            putIfSet(properties, OTLP_PROTOCOL_PROPERTY, variables.get(OTLP_PROTOCOL_VARIABLE));
        }
        if ("json".equalsIgnoreCase(variables.getOrDefault(LOG_FORMAT_VARIABLE, "").trim())) {
            properties.put(JSON_LOGS_PROPERTY, "true");
        }
        switch (kind) {
            case SCANNER -> {
                properties.put(PUBLISHER_CLIENT_URL_PROPERTY, "http://127.0.0.1:" + ports.of(ServiceKind.REVIEW_PUBLISHER));
                properties.put(GATEWAY_CLIENT_URL_PROPERTY, "http://127.0.0.1:" + ports.of(ServiceKind.LLM_GATEWAY));
                properties.put(SCANNER_LOCAL_REVIEWS_PROPERTY, "true");
                properties.put(SCANNER_LOCAL_ROOTS_PROPERTY, localRoots(variables));
                properties.put(SCANNER_OUTPUT_ROOTS_PROPERTY, localRoots(variables));
            }
            case ANALYZER -> {
                properties.put(GATEWAY_CLIENT_URL_PROPERTY, "http://127.0.0.1:" + ports.of(ServiceKind.LLM_GATEWAY));
                String patience = variables.get(environmentName(LLM_PATIENCE_PROPERTY));
                properties.put(LLM_PATIENCE_PROPERTY, patience == null || patience.isBlank() ? LOCAL_LLM_PATIENCE : patience);
            }
            case LLM_GATEWAY -> {
                putIfSet(properties, PROVIDER_BASE_URL_PROPERTY, variables.get(LLM_BASE_URL_VARIABLE));
                putIfSet(properties, DEFAULT_MODEL_PROPERTY, variables.get(LLM_MODEL_VARIABLE));
                String verifyModel = variables.get(LLM_VERIFY_MODEL_VARIABLE);
                if (verifyModel != null && !verifyModel.isBlank()) {
                    properties.put("drep.gateway.models." + VERIFY_ALIAS, verifyModel.strip());
                    properties.put("drep.gateway.task-classes.verify", VERIFY_ALIAS);
                }
                String shared = variables.get(environmentName(GATEWAY_SHARED_LIMITS_PROPERTY));
                properties.put(GATEWAY_SHARED_LIMITS_PROPERTY, shared == null || shared.isBlank() ? "false" : shared.strip());
            }
            case REVIEW_PUBLISHER -> {
                properties.put(PUBLISHER_LOCAL_REVIEWS_PROPERTY, "true");
                properties.put(PUBLISHER_OUTPUT_ROOTS_PROPERTY, localRoots(variables));
            }
        }
        return properties;
    }

    /**
     * Variables added to the service's inherited environment: the service's own token; for the gateway, the user's DREP_LLM_* variables and the API key under the name Quarkus maps to
     * {@link #PROVIDER_API_KEY_PROPERTY}.
     */
    public static Map<String, String> addedEnvironment(ServiceKind kind, Map<String, String> variables,
            StackCredentials credentials) {
        Map<String, String> added = new LinkedHashMap<>();
        switch (kind) {
            case SCANNER -> added.put(environmentName(SERVICE_TOKEN_PROPERTY), credentials.scanner());
            case ANALYZER -> added.put(environmentName(SERVICE_TOKEN_PROPERTY), credentials.analyzer());
            case LLM_GATEWAY -> added.put(environmentName(SERVICE_TOKEN_PROPERTY), credentials.gateway());
            case REVIEW_PUBLISHER -> added.put(environmentName(SERVICE_TOKEN_PROPERTY), credentials.publisher());
        }
        if (kind == ServiceKind.LLM_GATEWAY) {
            variables.forEach((name, value) -> {
                if (name.startsWith(LLM_VARIABLE_PREFIX) && value != null && !value.isBlank()) {
                    added.put(name, value);
                }
            });
            putIfSet(added, environmentName(PROVIDER_API_KEY_PROPERTY), variables.get(LLM_API_KEY_VARIABLE));
        }
        return added;
    }

    /**
     * Prefixes of inherited variables removed from every service's environment before
     * {@link #addedEnvironment} is applied: the provider settings (the API key above all) reach the
     * gateway only, and only as the user gave them to the launcher.
     */
    public static Set<String> removedEnvironmentPrefixes() {
        return Set.of(LLM_VARIABLE_PREFIX, environmentName(PROVIDER_API_KEY_PROPERTY), environmentName(SERVICE_TOKEN_PROPERTY));
    }

    /**
     * @return the environment variable name under which Quarkus (SmallRye Config) finds a property:
     *         every character other than a letter or digit becomes {@code _}, then upper case
     */
    public static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static void putIfSet(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    /**
     * Who may call the stack's services and from where.
     *
     * @param credentials the stack's tokens
     * @param listen      the address the services listen on ({@link #LOOPBACK} unless the user chose another)
     */
    public record Access(StackCredentials credentials, String listen) {
    }

    /**
     * How the services reach the shared database.
     *
     * @param jdbcUrl     for Flyway
     * @param reactiveUrl for Hibernate Reactive
     * @param user        database user
     * @param password    its password (the embedded server's well-known local default)
     */
    public record Database(String jdbcUrl, String reactiveUrl, String user, String password) {
        /** @return the coordinates of an embedded PostgreSQL */
        public static Database of(LocalPostgres postgres) {
            return new Database(postgres.jdbcUrl(), postgres.reactiveUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
        }
    }
}
