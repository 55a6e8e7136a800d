package dev.drep.k8s;

import static dev.drep.k8s.Manifests.containers;
import static dev.drep.k8s.Manifests.podSpec;
import static dev.drep.k8s.RenderedManifestsTest.objectName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.k8s.Manifests.Rendered;
import dev.drep.k8s.Manifests.Variant;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Identity in the rendered chart (issue 13): generated tokens, each pod with only its own token and the SHA-256 of
 * what it accepts, per-service broker users and database roles in the evaluation components, Swagger UI off, /q/*
 * kept inside the cluster, OIDC and TLS values reaching the services.
 */
class IdentityManifestsTest {

    static final String IDENTITY_SECRET = Manifests.RELEASE + "-identity";
    static final Pattern TOKEN = Pattern.compile("drep_[A-Za-z0-9]{43}");

    /** Which identity token a service holds, and which hashes (env name -> token key) it is given. */
    record Identity(String service, String ownToken, Map<String, String> accepts) {
    }

    static final List<Identity> IDENTITIES = List.of(
            new Identity("scanner-service", "scanner-token", Map.of("DREP_ADMIN_TOKEN_SHA256", "admin-token",
                    "DREP_GATEWAY_TOKEN_SHA256", "gateway-token", "DREP_PUBLISHER_TOKEN_SHA256", "publisher-token")),
            new Identity("analyzer-service", "analyzer-token", Map.of("DREP_ADMIN_TOKEN_SHA256", "admin-token")),
            new Identity("llm-gateway", "gateway-token", Map.of("DREP_ADMIN_TOKEN_SHA256", "admin-token",
                    "DREP_ANALYZER_TOKEN_SHA256", "analyzer-token", "DREP_SCANNER_TOKEN_SHA256", "scanner-token")),
            new Identity("review-publisher", "publisher-token", Map.of("DREP_ADMIN_TOKEN_SHA256", "admin-token",
                    "DREP_SCANNER_TOKEN_SHA256", "scanner-token")));

    /** The addresses each service sends to and consumes from (the services' application.properties and planning). */
    static final Map<String, Map<String, Set<String>>> BROKER_RIGHTS = Map.of(
            "scanner-service", Map.of(
                    "send", Set.of("drep.scanner.plan-requests", "drep.analysis.requests"),
                    "consume", Set.of("drep.scanner.plan-requests", "drep.job.events", "drep.scanner.plan-requests.dead")),
            "analyzer-service", Map.of(
                    "send", Set.of("drep.analysis.results"),
                    "consume", Set.of("drep.analysis.requests", "drep.analysis.requests.dead")),
            "review-publisher", Map.of(
                    "send", Set.of("drep.job.events"),
                    "consume", Set.of("drep.analysis.results")));

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyServiceGetsOnlyItsOwnTokenAndTheHashesOfTheTokensItAccepts(Variant variant) {
        Rendered r = Manifests.rendered(variant);
        Map<String, String> tokens = secretData(r.get("Secret", IDENTITY_SECRET));
        assertThat(tokens).containsOnlyKeys("admin-token", "scanner-token", "analyzer-token", "gateway-token", "publisher-token");
        tokens.forEach((key, token) -> assertThat(token).as(key).matches(TOKEN));
        assertThat(new TreeSet<>(tokens.values())).as("five different tokens").hasSize(5);

        for (Identity identity : IDENTITIES) {
            JsonNode deployment = r.get("Deployment", objectName(identity.service()));
            Map<String, String> fromIdentitySecret = new TreeMap<>();
            Map<String, String> plainValues = new TreeMap<>();
            for (JsonNode c : containers(deployment)) {
                for (JsonNode env : c.path("env")) {
                    JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                    if (IDENTITY_SECRET.equals(ref.path("name").asText())) {
                        fromIdentitySecret.put(env.path("name").asText(), ref.path("key").asText());
                    }
                    if (env.has("value")) {
                        plainValues.put(env.path("name").asText(), env.path("value").asText());
                    }
                }
            }
            if (identity.ownToken() == null) {
                assertThat(fromIdentitySecret).as("%s reads no token", identity.service()).isEmpty();
            } else {
                assertThat(fromIdentitySecret).as("%s reads only its own token", identity.service())
                        .containsExactly(Map.entry("DREP_SERVICE_TOKEN", identity.ownToken()));
            }
            Map<String, String> hashes = new TreeMap<>();
            plainValues.forEach((name, value) -> {
                if (name.endsWith("_TOKEN_SHA256")) {
                    hashes.put(name, value);
                }
            });
            Map<String, String> expected = new TreeMap<>();
            identity.accepts().forEach((env, key) -> expected.put(env, sha256(tokens.get(key))));
            assertThat(hashes).as("%s accepts exactly these tokens, by SHA-256", identity.service()).isEqualTo(expected);
            assertThat(plainValues.values()).as("%s sees no token in plain values", identity.service())
                    .noneMatch(tokens.values()::contains);
        }
        // nothing else (the evaluation PostgreSQL and Artemis) reads the identity Secret
        r.ofKind("StatefulSet").forEach(w -> RenderedManifestsTest.forEachReference(w, (type, name, key, optional) ->
                assertThat(name).as("%s references", Manifests.id(w)).isNotEqualTo(IDENTITY_SECRET)));
    }

    @Test
    void theGatewayAndThePublisherAskTheScannerAboutApiTokensWithTheirOwnTokensAndACacheTime() {
        Rendered defaults = Manifests.rendered(Variant.DEFAULTS);
        String scanner = "http://" + objectName("scanner-service") + ":8081";
        for (String service : List.of("llm-gateway", "review-publisher")) {
            JsonNode data = defaults.get("ConfigMap", objectName(service)).path("data");
            assertThat(data.path("DREP_SCANNER_URL").asText()).as(service).isEqualTo(scanner);
            assertThat(data.path("DREP_IDENTITY_INTROSPECTION_CACHE_TIME").asText()).as(service).isEqualTo("30s");
        }
        for (String service : List.of("scanner-service", "analyzer-service")) {
            assertThat(defaults.get("ConfigMap", objectName(service)).path("data").has("DREP_SCANNER_URL")).as(service).isFalse();
        }
        List<JsonNode> objects = Manifests.parse(Manifests.template(null, Map.of("identity.apiTokenCacheTime", "5s")));
        assertThat(find(objects, "ConfigMap", objectName("llm-gateway")).path("data").path("DREP_IDENTITY_INTROSPECTION_CACHE_TIME")
                .asText()).isEqualTo("5s");
        assertThatThrownBy(() -> Manifests.template(null, Map.of("identity.apiTokenCacheTime", "half a minute")))
                .hasMessageContaining("apiTokenCacheTime");
    }

    @Test
    void generatedTokensAreNewInEveryRenderingWithoutAClusterToReadThemBackFrom() {
        // lookup (which keeps them across upgrades) needs a cluster; without one every rendering makes new ones
        Map<String, String> first = identityTokens(Manifests.template(null, Map.of()));
        Map<String, String> second = identityTokens(Manifests.template(null, Map.of()));
        assertThat(first.keySet()).isEqualTo(second.keySet());
        first.forEach((key, token) -> assertThat(second.get(key)).as(key).isNotEqualTo(token));
    }

    @Test
    void anExistingIdentitySecretIsReadAsIsAndTwoRenderingsAreTheSame() {
        Map<String, Object> sets = Map.of("identity.existingSecret", "org-drep-identity");
        String first = Manifests.template(null, sets);
        String second = Manifests.template(null, sets);
        assertThat(second).as("nothing generated: the same manifests every time").isEqualTo(first);
        List<JsonNode> objects = Manifests.parse(first);
        assertThat(objects).noneMatch(o -> Manifests.kind(o).equals("Secret") && Manifests.name(o).endsWith("-identity"));
        for (Identity identity : IDENTITIES) {
            JsonNode deployment = objects.stream().filter(o -> Manifests.id(o).equals("Deployment/" + objectName(identity.service())))
                    .findFirst().orElseThrow();
            Map<String, String> refs = new TreeMap<>();
            for (JsonNode env : podSpec(deployment).path("containers").get(0).path("env")) {
                JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                if ("org-drep-identity".equals(ref.path("name").asText())) {
                    refs.put(env.path("name").asText(), ref.path("key").asText());
                }
            }
            Map<String, String> expected = new TreeMap<>();
            identity.accepts().forEach((env, key) -> expected.put(env, key + "-sha256"));
            if (identity.ownToken() != null) {
                expected.put("DREP_SERVICE_TOKEN", identity.ownToken());
            }
            assertThat(refs).as("%s reads its token and the hashes it accepts from the given Secret", identity.service())
                    .isEqualTo(expected);
        }
    }

    @Test
    void eachServiceUsesItsOwnBrokerUserWithRightsOnlyOnTheAddressesItUses() {
        Rendered r = Manifests.rendered(Variant.ALL_ON);
        Map<String, String> users = new TreeMap<>();
        for (String service : BROKER_RIGHTS.keySet()) {
            JsonNode deployment = r.get("Deployment", objectName(service));
            String secret = secretRef(deployment, "DREP_AMQP_USER");
            assertThat(secret).as("%s's broker user", service).isEqualTo(objectName(service) + "-amqp");
            assertThat(secretRef(deployment, "DREP_AMQP_PASSWORD")).isEqualTo(secret);
            Map<String, String> credentials = secretData(r.get("Secret", secret));
            users.put(credentials.get("username"), credentials.get("password"));
        }
        assertThat(users).as("three users").hasSize(3);
        assertThat(new TreeSet<>(users.values())).as("three passwords").hasSize(3);
        assertThat(secretRef(r.get("Deployment", objectName("llm-gateway")), "DREP_AMQP_USER")).as("the gateway has no broker").isNull();

        // the broker knows exactly these users, each in the role of its name; the admin (amqp.auth) is not among them
        JsonNode artemis = r.get("StatefulSet", objectName("artemis"));
        Map<String, String> files = secretData(r.get("Secret", objectName("artemis-users")));
        Properties known = properties(files.get("users.properties"));
        Map<String, String> knownUsers = new TreeMap<>();
        known.forEach((k, v) -> knownUsers.put(k.toString(), v.toString()));
        assertThat(knownUsers).isEqualTo(users);
        Properties roles = properties(files.get("roles.properties"));
        users.keySet().forEach(user -> assertThat(roles.getProperty(user)).isEqualTo(user));
        assertThat(mountedSecrets(artemis)).contains(objectName("artemis-users"));
        r.ofKind("Deployment").forEach(d -> assertThat(mountedSecrets(d)).doesNotContain(objectName("artemis-users")));

        // permissions: send/consume exactly on the service's addresses
        JsonNode brokerConfig = r.get("ConfigMap", objectName("artemis")).path("data");
        Map<String, Map<String, Set<String>>> granted = grantedByRole(brokerConfig.path("broker.properties").asText());
        for (Map.Entry<String, Map<String, Set<String>>> service : BROKER_RIGHTS.entrySet()) {
            String user = secretData(r.get("Secret", objectName(service.getKey()) + "-amqp")).get("username");
            Map<String, Set<String>> rights = granted.get(user);
            assertThat(rights).as("rights of %s", user).isNotNull();
            assertThat(rights.get("send")).as("%s sends to", user).isEqualTo(service.getValue().get("send"));
            assertThat(rights.get("consume")).as("%s consumes from", user).isEqualTo(service.getValue().get("consume"));
            Set<String> used = new TreeSet<>(service.getValue().get("send"));
            used.addAll(service.getValue().get("consume"));
            assertThat(rights.keySet()).as("%s has only send, consume and create rights", user)
                    .isSubsetOf("send", "consume", "createAddress", "createDurableQueue");
            assertThat(rights.get("createAddress")).as("%s creates only its addresses", user).isEqualTo(used);
            assertThat(rights.get("createDurableQueue")).isEqualTo(used);
        }
        assertThat(granted.values()).allSatisfy(rights -> rights.values().forEach(addresses ->
                assertThat(addresses).noneMatch(a -> a.contains("#") || a.contains("*") || a.equals("DLQ") || a.equals("ExpiryQueue"))));
        // the services' users come from a second login module next to the broker's own (admin) users
        String loginConfig = brokerConfig.path("login.config").asText();
        assertThat(loginConfig).contains("baseDir=\"/etc/drep/broker-users\"", "\"users.properties\"", "\"artemis-users.properties\"");
    }

    @Test
    void eachServiceConnectsToTheEvaluationDatabaseAsTheRoleOwningItsFlywaySchema() throws IOException {
        Rendered r = Manifests.rendered(Variant.ALL_ON);
        Set<String> roles = new TreeSet<>();
        JsonNode postgres = r.get("StatefulSet", objectName("postgresql"));
        Map<String, String> initPasswordRefs = new TreeMap<>();
        for (JsonNode env : podSpec(postgres).path("containers").get(0).path("env")) {
            if (env.path("name").asText().endsWith("_DB_PASSWORD")) {
                initPasswordRefs.put(env.path("name").asText(), env.path("valueFrom").path("secretKeyRef").path("name").asText());
            }
        }
        for (String service : List.of("scanner-service", "analyzer-service", "llm-gateway", "review-publisher")) {
            String schema = flywaySchema(service);
            JsonNode deployment = r.get("Deployment", objectName(service));
            String secret = secretRef(deployment, "DREP_DB_USER");
            assertThat(secret).isEqualTo(objectName(service) + "-db");
            assertThat(secretRef(deployment, "DREP_DB_PASSWORD")).isEqualTo(secret);
            Map<String, String> credentials = secretData(r.get("Secret", secret));
            assertThat(credentials.get("username")).as("%s's role is named like its Flyway schema", service).isEqualTo(schema);
            assertThat(credentials.get("password")).hasSizeGreaterThanOrEqualTo(32);
            roles.add(credentials.get("username"));
            assertThat(initPasswordRefs).as("the init script gets %s's password", schema)
                    .containsEntry("DREP_" + schema.toUpperCase() + "_DB_PASSWORD", secret);
        }
        assertThat(roles).containsExactlyInAnyOrder("scanner", "analyzer", "gateway", "publisher");
        String script = r.get("ConfigMap", objectName("postgresql") + "-init").path("data").path("10-drep-service-roles.sh").asText();
        assertThat(script).contains("for role in scanner analyzer gateway publisher ;", "CREATE SCHEMA :\"role\" AUTHORIZATION :\"role\"");
        assertThat(mountPaths(postgres)).contains("/docker-entrypoint-initdb.d");
    }

    @Test
    void withAnExternalDatabaseAndBrokerTheServicesUseTheConfiguredCredentials() {
        Rendered r = Manifests.rendered(Variant.DEFAULTS);
        for (String service : List.of("scanner-service", "analyzer-service", "review-publisher")) {
            JsonNode deployment = r.get("Deployment", objectName(service));
            assertThat(secretRef(deployment, "DREP_DB_USER")).isEqualTo(Manifests.RELEASE + "-database");
            assertThat(secretRef(deployment, "DREP_AMQP_USER")).isEqualTo(Manifests.RELEASE + "-amqp");
        }
        assertThat(r.ofKind("Secret").map(Manifests::name))
                .noneMatch(name -> name.endsWith("-db") || name.endsWith("-service-amqp") || name.endsWith("-artemis-users"));
    }

    @Test
    void anExternalDatabaseAndBrokerTakeOneSecretPerServiceWhenGiven() {
        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put("database.auth.serviceSecrets.scanner", "db-scanner");
        sets.put("database.auth.serviceSecrets.gateway", "db-gateway");
        sets.put("amqp.auth.serviceSecrets.analyzer", "mq-analyzer");
        sets.put("amqp.auth.serviceSecrets.publisher", "mq-publisher");
        List<JsonNode> objects = Manifests.parse(Manifests.template(null, sets));
        Map<String, String> databaseSecrets = new TreeMap<>();
        Map<String, String> brokerSecrets = new TreeMap<>();
        for (String service : List.of("scanner-service", "analyzer-service", "llm-gateway", "review-publisher")) {
            JsonNode deployment = find(objects, "Deployment", objectName(service));
            databaseSecrets.put(service, secretRef(deployment, "DREP_DB_USER") + "/" + secretRef(deployment, "DREP_DB_PASSWORD"));
            brokerSecrets.put(service, secretRef(deployment, "DREP_AMQP_USER") + "/" + secretRef(deployment, "DREP_AMQP_PASSWORD"));
        }
        String shared = Manifests.RELEASE + "-database";
        assertThat(databaseSecrets).containsExactlyInAnyOrderEntriesOf(Map.of(
                "scanner-service", "db-scanner/db-scanner", "analyzer-service", shared + "/" + shared,
                "llm-gateway", "db-gateway/db-gateway", "review-publisher", shared + "/" + shared));
        String sharedBroker = Manifests.RELEASE + "-amqp";
        assertThat(brokerSecrets).containsExactlyInAnyOrderEntriesOf(Map.of(
                "scanner-service", sharedBroker + "/" + sharedBroker, "analyzer-service", "mq-analyzer/mq-analyzer",
                "llm-gateway", "null/null", "review-publisher", "mq-publisher/mq-publisher"));
        assertThatThrownBy(() -> Manifests.template(null, Map.of("amqp.auth.serviceSecrets.gateway", "mq-gateway")))
                .as("the gateway has no broker").hasMessageContaining("/amqp/auth/serviceSecrets");
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void swaggerUiIsOffAndNothingUnderQIsRoutedOutsideTheCluster(Variant variant) {
        Rendered r = Manifests.rendered(variant);
        assertThat(r.get("ConfigMap", objectName("scanner-service")).path("data").path("QUARKUS_SWAGGER_UI_ENABLED").asText())
                .isEqualTo("false");
        r.ofKind("Service").forEach(service -> assertThat(service.path("spec").path("type").asText("ClusterIP"))
                .as("%s stays inside the cluster", Manifests.id(service)).isEqualTo("ClusterIP"));
        r.ofKind("Ingress").forEach(ingress -> ingress.path("spec").path("rules").forEach(rule ->
                rule.path("http").path("paths").forEach(path -> {
                    String prefix = path.path("path").asText();
                    for (String internal : List.of("/q/metrics", "/q/openapi", "/q/swagger-ui", "/q/health")) {
                        assertThat(internal.startsWith(prefix)).as("Ingress path %s routes %s", prefix, internal).isFalse();
                    }
                })));
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theManagementPortIsBehindNoApiServiceAndNoIngress(Variant variant) {
        Rendered r = Manifests.rendered(variant);
        Set<String> metricsServices = new TreeSet<>();
        Set<String> drepServices = Set.of("scanner-service", "analyzer-service", "llm-gateway", "review-publisher");
        r.ofKind("Service").filter(service -> drepServices.contains(
                service.path("metadata").path("labels").path("app.kubernetes.io/component").asText())).forEach(service -> {
            boolean forMetrics = "true".equals(service.path("metadata").path("labels").path("drep.dev/metrics").asText());
            if (forMetrics) {
                metricsServices.add(Manifests.id(service));
                assertThat(service.path("spec").path("clusterIP").asText()).as("%s is headless", Manifests.id(service))
                        .isEqualTo("None");
            }
            service.path("spec").path("ports").forEach(port -> {
                boolean management = port.path("targetPort").asText().equals("management")
                        || port.path("targetPort").asInt() == RenderedManifestsTest.MANAGEMENT_PORT;
                assertThat(management && !forMetrics).as("%s exposes the management port", Manifests.id(service)).isFalse();
            });
        });
        r.ofKind("Ingress").forEach(ingress -> ingress.path("spec").path("rules").forEach(rule ->
                rule.path("http").path("paths").forEach(path -> {
                    JsonNode backend = path.path("backend").path("service");
                    assertThat(backend.path("name").asText()).as("Ingress backend").doesNotEndWith("-metrics");
                    assertThat(backend.path("port").path("number").asInt(0)).isNotEqualTo(RenderedManifestsTest.MANAGEMENT_PORT);
                    assertThat(backend.path("port").path("name").asText()).isNotEqualTo("management");
                })));
        assertThat(metricsServices).as("metrics Services only for the ServiceMonitor").hasSize(variant == Variant.DEFAULTS ? 0 : 4);
    }

    @Test
    void ingressPathsOutsideApiAndDashboardAreRejected() {
        for (String path : List.of("/", "/q", "/q/metrics", "/apis")) {
            assertThatThrownBy(() -> Manifests.template(null, Map.of("ingress.enabled", true, "ingress.paths[0]", path)))
                    .as("ingress path %s", path).hasMessageContaining("/ingress/paths/0");
        }
        String yaml = Manifests.template(null, Map.of("ingress.enabled", true, "ingress.paths[0]", "/api", "ingress.paths[1]", "/dashboard"));
        assertThat(Manifests.parse(yaml)).anyMatch(o -> Manifests.kind(o).equals("Ingress"));
    }

    @Test
    void theDashboardsOidcClientReachesTheScannerOnlyWithItsSecretFromTheNamedSecret() {
        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put("identity.oidc.enabled", true);
        sets.put("identity.oidc.issuer", "https://id.example.com/realms/eng");
        sets.put("identity.oidc.dashboard.clientId", "drep-web");
        sets.put("identity.oidc.dashboard.clientSecret.secretName", "drep-dashboard-client");
        sets.put("identity.oidc.dashboard.clientSecret.key", "secret");
        List<JsonNode> objects = Manifests.parse(Manifests.template(null, sets));
        JsonNode scanner = find(objects, "ConfigMap", objectName("scanner-service")).path("data");
        assertThat(scanner.path("DREP_OIDC_DASHBOARD_ENABLED").asText()).isEqualTo("true");
        assertThat(scanner.path("DREP_OIDC_CLIENT_ID").asText()).isEqualTo("drep-web");
        JsonNode deployment = find(objects, "Deployment", objectName("scanner-service"));
        assertThat(secretRef(deployment, "DREP_OIDC_CLIENT_SECRET")).isEqualTo("drep-dashboard-client");
        assertThat(podSpec(deployment).path("containers").get(0).path("env").toString())
                .contains("\"key\":\"secret\"");
        for (String other : List.of("analyzer-service", "llm-gateway", "review-publisher")) {
            assertThat(secretRef(find(objects, "Deployment", objectName(other)), "DREP_OIDC_CLIENT_SECRET")).as(other).isNull();
        }

        // the token form kept: no client, no secret needed
        sets.remove("identity.oidc.dashboard.clientSecret.secretName");
        sets.put("identity.oidc.dashboard.enabled", false);
        objects = Manifests.parse(Manifests.template(null, sets));
        scanner = find(objects, "ConfigMap", objectName("scanner-service")).path("data");
        assertThat(scanner.path("DREP_OIDC_DASHBOARD_ENABLED").asText()).isEqualTo("false");
        assertThat(scanner.has("DREP_OIDC_CLIENT_ID")).isFalse();
        assertThat(secretRef(find(objects, "Deployment", objectName("scanner-service")), "DREP_OIDC_CLIENT_SECRET")).isNull();
    }

    @Test
    void oidcBearerValuesReachTheScannerGatewayAndPublisherButNotTheAnalyzer() {
        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put("identity.oidc.enabled", true);
        sets.put("identity.oidc.issuer", "https://id.example.com/realms/eng");
        sets.put("identity.oidc.audience", "drep-api");
        sets.put("identity.oidc.rolesClaim", "realm_access/roles");
        sets.put("identity.oidc.roleScopes.drep-admins[0]", "admin");
        sets.put("identity.oidc.roleScopes.team\\.reviewers[0]", "reviews:write");
        sets.put("identity.oidc.roleScopes.team\\.reviewers[1]", "jobs:read");
        sets.put("identity.oidc.roleScopes.urn:drep:ops[0]", "usage:read");
        sets.put("identity.oidc.dashboard.clientSecret.secretName", "drep-dashboard-client");
        List<JsonNode> objects = Manifests.parse(Manifests.template(null, sets));
        for (String service : List.of("scanner-service", "llm-gateway", "review-publisher")) {
            JsonNode env = find(objects, "ConfigMap", objectName(service)).path("data");
            assertThat(env.path("DREP_OIDC_ENABLED").asText()).as(service).isEqualTo("true");
            assertThat(env.path("DREP_OIDC_ISSUER").asText()).as(service).isEqualTo("https://id.example.com/realms/eng");
            assertThat(env.path("DREP_OIDC_AUDIENCE").asText()).as(service).isEqualTo("drep-api");
            assertThat(env.path("DREP_OIDC_ROLES_CLAIM").asText()).as(service).isEqualTo("realm_access/roles");
            Properties file = properties(find(objects, "ConfigMap", objectName(service) + "-config-file")
                    .path("data").path("application.properties").asText());
            assertThat(file.getProperty("drep.identity.role-scopes.\"drep-admins\"")).as(service).isEqualTo("admin");
            assertThat(file.getProperty("drep.identity.role-scopes.\"team.reviewers\"")).as(service)
                    .isEqualTo("reviews:write,jobs:read");
            assertThat(file.getProperty("drep.identity.role-scopes.\"urn:drep:ops\"")).as("%s: ':' escaped in the key", service)
                    .isEqualTo("usage:read");
        }
        // the gateway and the publisher take bearer tokens only: the dashboard's sign-in stays the scanner's
        for (String bearerOnly : List.of("llm-gateway", "review-publisher")) {
            JsonNode env = find(objects, "ConfigMap", objectName(bearerOnly)).path("data");
            assertThat(env.has("DREP_OIDC_CLIENT_ID")).as(bearerOnly).isFalse();
            assertThat(env.has("DREP_OIDC_DASHBOARD_ENABLED")).as(bearerOnly).isFalse();
        }
        JsonNode analyzer = find(objects, "ConfigMap", objectName("analyzer-service")).path("data");
        assertThat(analyzer.has("DREP_OIDC_ISSUER")).isFalse();
        assertThat(find(objects, "ConfigMap", objectName("analyzer-service") + "-config-file").path("data")
                .path("application.properties").asText()).doesNotContain("role-scopes");
        // the scanner reads the file: Quarkus takes config/application.properties from the working directory
        JsonNode deployment = find(objects, "Deployment", objectName("scanner-service"));
        JsonNode container = podSpec(deployment).path("containers").get(0);
        assertThat(container.path("workingDir").asText()).isEqualTo("/deployments");
        assertThat(mountPaths(deployment)).contains("/deployments/config");

        assertThatThrownBy(() -> Manifests.template(null, Map.of("identity.oidc.enabled", true)))
                .hasMessageContaining("identity.oidc.enabled needs identity.oidc.issuer");
        assertThatThrownBy(() -> Manifests.template(null, Map.of("identity.oidc.enabled", true, "identity.oidc.issuer",
                "https://id.example.com/realms/eng"))).hasMessageContaining(
                        "identity.oidc.dashboard.enabled needs identity.oidc.dashboard.clientSecret.secretName");
        assertThatThrownBy(() -> Manifests.template(null, Map.of("identity.oidc.roleScopes.devs[0]", "everything")))
                .hasMessageContaining("/identity/oidc/roleScopes/devs/0");
    }

    @Test
    void tlsToPostgresqlAndTheBrokerIsOffByDefaultAndConfiguredWhenAskedFor() {
        Rendered defaults = Manifests.rendered(Variant.DEFAULTS);
        JsonNode scannerDefaults = defaults.get("ConfigMap", objectName("scanner-service")).path("data");
        assertThat(scannerDefaults.path("DREP_DB_JDBC_URL").asText()).doesNotContain("sslmode");
        assertThat(scannerDefaults.has("AMQP_USE_SSL")).isFalse();

        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put("database.tls.sslmode", "verify-full");
        sets.put("database.tls.caSecret", "pg-ca");
        sets.put("amqp.tls.enabled", true);
        sets.put("amqp.tls.caSecret", "broker-ca");
        sets.put("amqp.port", 5671);
        List<JsonNode> objects = Manifests.parse(Manifests.template(null, sets));
        for (String service : List.of("scanner-service", "analyzer-service", "llm-gateway", "review-publisher")) {
            boolean broker = !service.equals("llm-gateway");
            JsonNode data = find(objects, "ConfigMap", objectName(service)).path("data");
            assertThat(data.path("DREP_DB_JDBC_URL").asText()).as(service)
                    .endsWith("/drep?sslmode=verify-full&sslrootcert=/etc/drep/tls/database/ca.crt");
            assertThat(data.path("DREP_DB_URL").asText()).as(service).endsWith("/drep?sslmode=verify-full");
            assertThat(data.path("AMQP_USE_SSL").asText("")).as(service).isEqualTo(broker ? "true" : "");
            Properties file = properties(find(objects, "ConfigMap", objectName(service) + "-config-file")
                    .path("data").path("application.properties").asText());
            assertThat(file.getProperty("quarkus.datasource.reactive.trust-certificate-pem.certs"))
                    .isEqualTo("/etc/drep/tls/database/ca.crt");
            assertThat(file.getProperty("quarkus.datasource.reactive.hostname-verification-algorithm")).isEqualTo("HTTPS");
            assertThat(file.getProperty("quarkus.tls.\"drep-amqp\".trust-store.pem.certs"))
                    .isEqualTo(broker ? "/etc/drep/tls/amqp/ca.crt" : null);
            assertThat(file.getProperty("mp.messaging.connector.smallrye-amqp.tls-configuration-name"))
                    .isEqualTo(broker ? "drep-amqp" : null);
            JsonNode deployment = find(objects, "Deployment", objectName(service));
            assertThat(mountPaths(deployment)).contains("/etc/drep/tls/database");
            assertThat(mountPaths(deployment).contains("/etc/drep/tls/amqp")).as(service).isEqualTo(broker);
            assertThat(mountedSecrets(deployment)).contains("pg-ca");
        }
        assertThatThrownBy(() -> Manifests.template(null, Map.of("database.tls.sslmode", "verify-ca")))
                .hasMessageContaining("database.tls.sslmode verify-ca needs database.tls.caSecret");
        assertThatThrownBy(() -> Manifests.template(null, Map.of("database.tls.sslmode", "sometimes")))
                .hasMessageContaining("/database/tls/sslmode");
    }

    // ---- helpers -------------------------------------------------------------------------------

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> secretData(JsonNode secret) {
        Map<String, String> out = new TreeMap<>();
        secret.path("data").fields().forEachRemaining(e ->
                out.put(e.getKey(), new String(Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)));
        return out;
    }

    private static Map<String, String> identityTokens(String yaml) {
        JsonNode secret = Manifests.parse(yaml).stream()
                .filter(o -> Manifests.kind(o).equals("Secret") && Manifests.name(o).equals(IDENTITY_SECRET))
                .findFirst().orElseThrow();
        return secretData(secret);
    }

    /** The Secret an env variable of the workload's first container comes from, or null. */
    private static String secretRef(JsonNode workload, String env) {
        for (JsonNode e : podSpec(workload).path("containers").get(0).path("env")) {
            if (e.path("name").asText().equals(env)) {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                return ref.isMissingNode() ? null : ref.path("name").asText();
            }
        }
        return null;
    }

    private static Set<String> mountedSecrets(JsonNode workload) {
        Set<String> out = new TreeSet<>();
        podSpec(workload).path("volumes").forEach(v -> {
            if (v.has("secret")) {
                out.add(v.path("secret").path("secretName").asText());
            }
        });
        return out;
    }

    private static List<String> mountPaths(JsonNode workload) {
        List<String> out = new ArrayList<>();
        containers(workload).forEach(c -> out.addAll(c.path("volumeMounts").findValuesAsText("mountPath")));
        return out;
    }

    private static JsonNode find(List<JsonNode> objects, String kind, String name) {
        return objects.stream().filter(o -> Manifests.kind(o).equals(kind) && Manifests.name(o).equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(kind + " " + name + " is not rendered"));
    }

    static Properties properties(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static final Pattern SECURITY_ROLE = Pattern.compile("^securityRoles\\.\"([^\"]+)\"\\.\"?([^\".]+)\"?\\.(\\w+)=true$");

    /** role -> permission -> addresses, from broker.properties' securityRoles lines. */
    static Map<String, Map<String, Set<String>>> grantedByRole(String brokerProperties) {
        Map<String, Map<String, Set<String>>> out = new TreeMap<>();
        for (String line : brokerProperties.split("\n")) {
            Matcher m = SECURITY_ROLE.matcher(line.strip());
            if (m.matches()) {
                out.computeIfAbsent(m.group(2), k -> new TreeMap<>()).computeIfAbsent(m.group(3), k -> new TreeSet<>()).add(m.group(1));
            }
        }
        return out;
    }

    /** quarkus.flyway.schemas of a service's application.properties: the schema its role must own. */
    private static String flywaySchema(String service) throws IOException {
        Path file = Manifests.K8S_DIR.getParent().resolve(service).resolve("src/main/resources/application.properties");
        return properties(Files.readString(file)).getProperty("quarkus.flyway.schemas");
    }
}
