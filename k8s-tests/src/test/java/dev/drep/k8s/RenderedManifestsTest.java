package dev.drep.k8s;

import static dev.drep.k8s.Manifests.containers;
import static dev.drep.k8s.Manifests.id;
import static dev.drep.k8s.Manifests.kind;
import static dev.drep.k8s.Manifests.name;
import static dev.drep.k8s.Manifests.podLabels;
import static dev.drep.k8s.Manifests.podSpec;
import static dev.drep.k8s.Manifests.selects;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.k8s.Manifests.Rendered;
import dev.drep.k8s.Manifests.Variant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checks the objects the chart renders, for the default values and with every option on. */
class RenderedManifestsTest {

    /** The four services, their ports, and whether they use PostgreSQL and the broker (docs/architecture.md). */
    record Service(String name, int port, boolean usesDatabase, boolean usesBroker) {
    }

    static final List<Service> SERVICES = List.of(
            new Service("scanner-service", 8081, true, true),
            new Service("analyzer-service", 8082, true, true),
            new Service("llm-gateway", 8083, true, false), // its ledger; no messaging
            new Service("review-publisher", 8084, true, true));

    static final Pattern SECRET_LOOKING = Pattern.compile("(?i).*(PASSWORD|TOKEN|SECRET|API_KEY|APIKEY|CREDENTIAL).*");

    /** The Quarkus management interface of every service: health and metrics, never the API. */
    static final int MANAGEMENT_PORT = 9000;

    static String objectName(String service) {
        return Manifests.RELEASE + "-" + service;
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theFourServicesAreRenderedWithTheirPorts(Variant variant) {
        Rendered r = Manifests.rendered(variant);
        for (Service s : SERVICES) {
            JsonNode deployment = r.get("Deployment", objectName(s.name()));
            JsonNode container = podSpec(deployment).path("containers").get(0);
            assertThat(container.path("name").asText()).isEqualTo(s.name());
            assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(s.port());
            assertThat(container.path("image").asText()).as("%s image", s.name()).contains(s.name() + ":");
            assertThat(container.path("ports").get(1).path("name").asText()).isEqualTo("management");
            assertThat(container.path("ports").get(1).path("containerPort").asInt()).as("Quarkus' management port")
                    .isEqualTo(MANAGEMENT_PORT);
            JsonNode service = r.get("Service", objectName(s.name()));
            assertThat(service.path("spec").path("ports")).as("%s Service: the API port only", s.name()).hasSize(1);
            assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(s.port());
            assertThat(r.get("ConfigMap", objectName(s.name())).path("data").path("QUARKUS_HTTP_PORT").asText())
                    .isEqualTo(String.valueOf(s.port()));
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyContainerHasProbesResourcesAndANonRootReadOnlySecurityContext(Variant variant) {
        Rendered r = Manifests.rendered(variant);
        List<String> checked = new ArrayList<>();
        r.workloads().forEach(workload -> {
            JsonNode pod = podSpec(workload);
            JsonNode podSecurity = pod.path("securityContext");
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true))
                    .as("%s mounts no service account token", id(workload)).isFalse();
            for (JsonNode c : containers(workload)) {
                String what = id(workload) + " container " + c.path("name").asText();
                checked.add(what);
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    assertThat(c.has(probe)).as("%s has a %s", what, probe).isTrue();
                }
                for (String bound : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertThat(c.path("resources").path(bound).path(resource).asText())
                                .as("%s resources.%s.%s", what, bound, resource).isNotBlank();
                    }
                }
                JsonNode sc = c.path("securityContext");
                assertThat(effective(sc, podSecurity, "runAsNonRoot").asBoolean(false)).as("%s runAsNonRoot", what).isTrue();
                assertThat(effective(sc, podSecurity, "runAsUser").asInt(0)).as("%s runAsUser", what).isPositive();
                assertThat(sc.path("readOnlyRootFilesystem").asBoolean(false)).as("%s readOnlyRootFilesystem", what).isTrue();
                assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).as("%s allowPrivilegeEscalation", what).isFalse();
                assertThat(sc.path("privileged").asBoolean(false)).as("%s privileged", what).isFalse();
                assertThat(texts(sc.path("capabilities").path("drop"))).as("%s drops capabilities", what).contains("ALL");
                assertThat(sc.path("capabilities").path("add").isEmpty()).as("%s adds no capabilities", what).isTrue();
                assertThat(effective(sc, podSecurity, "seccompProfile").path("type").asText())
                        .as("%s seccomp", what).isEqualTo("RuntimeDefault");
                assertThat(mountPaths(c)).as("%s has a writable /tmp", what).contains("/tmp");
            }
        });
        assertThat(checked).hasSizeGreaterThanOrEqualTo(variant == Variant.ALL_ON ? 6 : 4);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theServicesAreProbedOnQuarkusHealthAndGetMoreGraceThanTheirShutdownNeeds(Variant variant) {
        Rendered r = Manifests.rendered(variant);
        int delay = Integer.parseInt(r.values().path("shutdown").path("delay").asText().replace("s", ""));
        for (Service s : SERVICES) {
            JsonNode deployment = r.get("Deployment", objectName(s.name()));
            JsonNode c = podSpec(deployment).path("containers").get(0);
            assertThat(c.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/started");
            assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
            assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                assertThat(c.path(probe).path("httpGet").path("port").asText()).as("health is on the management port")
                        .isEqualTo("management");
            }
            // quarkus.shutdown.timeout=30s after the pre-shutdown delay
            assertThat(podSpec(deployment).path("terminationGracePeriodSeconds").asInt())
                    .as("%s grace period", s.name()).isGreaterThan(30 + delay);
            assertThat(r.get("ConfigMap", objectName(s.name())).path("data").path("QUARKUS_SHUTDOWN_DELAY").asText())
                    .isEqualTo(delay + "s");
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theServicesAreAnnotatedForPrometheusAndAServiceMonitorScrapesThemWhenAskedFor(Variant variant) {
        Rendered r = Manifests.rendered(variant);
        for (Service s : SERVICES) {
            JsonNode deployment = r.get("Deployment", objectName(s.name()));
            JsonNode annotations = deployment.path("spec").path("template").path("metadata").path("annotations");
            assertThat(annotations.path("prometheus.io/scrape").asText()).as("%s scrape", s.name()).isEqualTo("true");
            assertThat(annotations.path("prometheus.io/port").asText()).as("%s port", s.name())
                    .isEqualTo(String.valueOf(MANAGEMENT_PORT));
            assertThat(annotations.path("prometheus.io/path").asText()).as("%s path", s.name()).isEqualTo("/q/metrics");
        }
        List<JsonNode> monitors = r.ofKind("ServiceMonitor").toList();
        if (variant == Variant.DEFAULTS) {
            assertThat(monitors).as("no ServiceMonitor unless metrics.serviceMonitor.enabled").isEmpty();
            return;
        }
        assertThat(monitors).hasSize(1);
        JsonNode monitor = monitors.get(0);
        assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.path("metadata").path("labels").path("release").asText())
                .as("the labels the Prometheus selects ServiceMonitors by").isEqualTo("kube-prometheus-stack");
        Set<String> scraped = new TreeSet<>();
        r.ofKind("Service").filter(service -> selects(monitor.path("spec").path("selector"),
                        Manifests.strings(service.path("metadata").path("labels"))))
                .forEach(service -> scraped.add(name(service)));
        // the headless metrics Services, not the API's
        assertThat(scraped).containsExactlyInAnyOrderElementsOf(SERVICES.stream().map(s -> objectName(s.name()) + "-metrics").toList());
        for (String name : scraped) {
            JsonNode port = r.get("Service", name).path("spec").path("ports");
            assertThat(port).hasSize(1);
            assertThat(port.get(0).path("port").asInt()).isEqualTo(MANAGEMENT_PORT);
            assertThat(port.get(0).path("targetPort").asText()).isEqualTo("management");
        }
        assertThat(monitor.path("spec").path("namespaceSelector").path("matchNames").get(0).asText())
                .isEqualTo(Manifests.NAMESPACE);
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("port").asText()).isEqualTo("management");
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        assertThat(endpoint.path("honorLabels").asBoolean()).as("keeps the services' own service label").isTrue();
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void configurationFollowsTheArchitectureAndSecretsNeverLandInConfigMaps(Variant variant) {
        Rendered r = Manifests.rendered(variant);
        for (Service s : SERVICES) {
            JsonNode data = r.get("ConfigMap", objectName(s.name())).path("data");
            Set<String> keys = new TreeSet<>();
            data.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as("%s ConfigMap keys", s.name()).noneMatch(k -> SECRET_LOOKING.matcher(k).matches());
            Set<String> secretEnv = secretEnvNames(r.get("Deployment", objectName(s.name())));
            if (s.usesDatabase()) {
                assertThat(keys).contains("DREP_DB_URL", "DREP_DB_JDBC_URL");
                assertThat(data.path("DREP_DB_JDBC_URL").asText()).startsWith("jdbc:postgresql://");
                assertThat(data.path("DREP_DB_URL").asText()).startsWith("postgresql://");
                assertThat(secretEnv).contains("DREP_DB_USER", "DREP_DB_PASSWORD");
            } else {
                assertThat(keys).doesNotContain("DREP_DB_URL", "DREP_DB_JDBC_URL");
                assertThat(secretEnv).doesNotContain("DREP_DB_USER", "DREP_DB_PASSWORD");
            }
            if (s.usesBroker()) {
                assertThat(keys).contains("DREP_AMQP_HOST", "DREP_AMQP_PORT");
                assertThat(secretEnv).contains("DREP_AMQP_USER", "DREP_AMQP_PASSWORD");
            } else {
                assertThat(keys).doesNotContain("DREP_AMQP_HOST", "DREP_AMQP_PORT");
                assertThat(secretEnv).doesNotContain("DREP_AMQP_USER", "DREP_AMQP_PASSWORD");
            }
        }
        assertThat(r.get("ConfigMap", objectName("scanner-service")).path("data").path("DREP_PUBLISHER_URL").asText())
                .isEqualTo("http://" + objectName("review-publisher") + ":8084");
        assertThat(r.get("ConfigMap", objectName("scanner-service")).path("data").path("DREP_GATEWAY_URL").asText())
                .as("/drep ask").isEqualTo("http://" + objectName("llm-gateway") + ":8083");
        assertThat(r.get("ConfigMap", objectName("analyzer-service")).path("data")
                .path("QUARKUS_REST_CLIENT_LLM_GATEWAY_URL").asText())
                .isEqualTo("http://" + objectName("llm-gateway") + ":8083");
        JsonNode gateway = r.get("ConfigMap", objectName("llm-gateway")).path("data");
        assertThat(gateway.path("DREP_GATEWAY_PROVIDER_BASE_URL").asText())
                .isEqualTo(r.values().path("gateway").path("provider").path("baseUrl").asText());
        assertThat(gateway.path("DREP_GATEWAY_DEFAULT_MODEL").asText())
                .isEqualTo(r.values().path("gateway").path("defaultModel").asText());
        assertThat(secretEnvNames(r.get("Deployment", objectName("llm-gateway"))))
                .contains("DREP_GATEWAY_PROVIDER_API_KEY").doesNotContain("DREP_GITHUB_TOKEN");
        assertThat(secretEnvNames(r.get("Deployment", objectName("scanner-service"))))
                .contains("DREP_GITHUB_TOKEN", "DREP_SCANNER_WEBHOOK_SECRET_KEY")
                // one key the per-repository webhook secrets derive from, no secret shared by all repositories
                .doesNotContain("DREP_GITHUB_WEBHOOK_SECRET");
        assertThat(secretEnvNames(r.get("Deployment", objectName("review-publisher"))))
                .contains("DREP_GITHUB_TOKEN").doesNotContain("DREP_SCANNER_WEBHOOK_SECRET_KEY");
        // host binding: the tokens are bound to the platforms' API roots and git hosts (docs/architecture.md)
        for (String service : List.of("scanner-service", "review-publisher")) {
            JsonNode data = r.get("ConfigMap", objectName(service)).path("data");
            assertThat(data.path("DREP_GITHUB_URL").asText()).isEqualTo("https://api.github.com");
            assertThat(data.path("DREP_GITHUB_GIT_HOSTS").asText()).isEqualTo("github.com");
            if (variant == Variant.DEFAULTS) {
                assertThat(data.has("DREP_GITEA_URL")).as("Gitea has no public default").isFalse();
                assertThat(data.has("DREP_GITEA_GIT_HOSTS")).isFalse();
            } else {
                assertThat(data.path("DREP_GITEA_GIT_HOSTS").asText()).as("derived from the url's host")
                        .isEqualTo("gitea.example.com");
            }
        }
        // no other pod sees the LLM key or the platform tokens
        assertThat(secretEnvNames(r.get("Deployment", objectName("analyzer-service"))))
                .doesNotContain("DREP_GATEWAY_PROVIDER_API_KEY", "DREP_GITHUB_TOKEN");
        // observability: JSON logs by default; traces exported only when an endpoint is given
        for (Service s : SERVICES) {
            JsonNode data = r.get("ConfigMap", objectName(s.name())).path("data");
            if (variant == Variant.DEFAULTS) {
                assertThat(data.path("QUARKUS_LOG_CONSOLE_JSON_ENABLED").asText()).isEqualTo("true");
                assertThat(data.has("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT")).as(s.name()).isFalse();
                assertThat(data.has("DREP_TRACES_SAMPLE_RATIO")).as(s.name()).isFalse();
            } else {
                assertThat(data.path("QUARKUS_LOG_CONSOLE_JSON_ENABLED").asText()).isEqualTo("false");
                assertThat(data.path("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT").asText())
                        .isEqualTo("http://otel-collector.observability:4318");
                assertThat(data.path("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL").asText()).isEqualTo("http/protobuf");
                assertThat(data.path("DREP_TRACES_SAMPLE_RATIO").asText()).isEqualTo("0.25");
            }
        }
    }

    /** The chart's values for bounded planning, the job deadline and mirror pruning reach the scanner's settings. */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void theScannersJobLimitsDeadlineAndMirrorPruningComeFromTheValues(Variant variant) {
        Rendered r = Manifests.rendered(variant);
        JsonNode scanner = r.values().path("scanner");
        JsonNode data = r.get("ConfigMap", objectName("scanner-service")).path("data");
        assertThat(Manifests.strings(data)).containsAllEntriesOf(Map.of(
                "DREP_SCANNER_JOB_LIMITS_MAX_FILES", scanner.path("jobLimits").path("maxFiles").asText(),
                "DREP_SCANNER_JOB_LIMITS_MAX_BYTES", scanner.path("jobLimits").path("maxBytes").asText(),
                "DREP_SCANNER_JOB_LIMITS_PLANNING_TIMEOUT", scanner.path("jobLimits").path("planningTimeout").asText(),
                "DREP_SCANNER_JOBS_DEADLINE", scanner.path("jobDeadline").asText(),
                "DREP_SCANNER_MIRROR_PRUNING_INTERVAL", scanner.path("mirrorPruning").path("interval").asText(),
                "DREP_SCANNER_MIRROR_PRUNING_PULL_REQUEST_REFS_AFTER",
                scanner.path("mirrorPruning").path("pullRequestRefsAfter").asText(),
                "DREP_SCANNER_MIRROR_PRUNING_MAX_MIRROR_SIZE", scanner.path("mirrorPruning").path("maxMirrorSize").asText()));
        if (variant == Variant.DEFAULTS) {
            // the service's own defaults, but for the mirror cap, which must fit the /tmp emptyDir all mirrors share
            assertThat(data.path("DREP_SCANNER_JOB_LIMITS_MAX_FILES").asText()).isEqualTo("5000");
            assertThat(data.path("DREP_SCANNER_JOB_LIMITS_MAX_BYTES").asText()).isEqualTo("200M");
            assertThat(data.path("DREP_SCANNER_JOB_LIMITS_PLANNING_TIMEOUT").asText()).isEqualTo("5m");
            assertThat(data.path("DREP_SCANNER_JOBS_DEADLINE").asText()).isEqualTo("30m");
            assertThat(data.path("DREP_SCANNER_MIRROR_PRUNING_MAX_MIRROR_SIZE").asText()).isEqualTo("512M");
            assertThat(scanner.path("tmpSizeLimit").asText()).isEqualTo("1Gi");
        } else {
            assertThat(data.path("DREP_SCANNER_JOB_LIMITS_MAX_BYTES").asText()).isEqualTo("64M");
            assertThat(data.path("DREP_SCANNER_MIRROR_PRUNING_INTERVAL").asText()).isEqualTo("1h");
        }
        // the analyzer and the publisher are not given the scanner's settings
        assertThat(Manifests.strings(r.get("ConfigMap", objectName("analyzer-service")).path("data")).keySet())
                .noneMatch(k -> k.startsWith("DREP_SCANNER_"));
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyReferencedSecretAndConfigMapIsRenderedOrAnAllowedExternalOne(Variant variant) {
        Rendered r = Manifests.rendered(variant);
        Map<String, JsonNode> secrets = byName(r, "Secret");
        Map<String, JsonNode> configMaps = byName(r, "ConfigMap");
        Set<String> external = externalSecretNames(r.values());

        List<String> problems = new ArrayList<>();
        Set<String> referencedSecrets = new TreeSet<>();
        Set<String> referencedConfigMaps = new TreeSet<>();
        r.objects().forEach(o -> forEachReference(o, (type, name, key, optional) -> {
            if (type.equals("Secret")) {
                referencedSecrets.add(name);
                if (secrets.containsKey(name)) {
                    if (key != null && !optional && !secrets.get(name).path("data").has(key)) {
                        problems.add(id(o) + " needs key " + key + " of rendered Secret " + name);
                    }
                } else if (!external.contains(name)) {
                    problems.add(id(o) + " references Secret " + name + ", neither rendered nor a declared external one " + external);
                }
            } else {
                referencedConfigMaps.add(name);
                if (!configMaps.containsKey(name)) {
                    problems.add(id(o) + " references ConfigMap " + name + ", which is not rendered");
                } else if (key != null && !optional && !configMaps.get(name).path("data").has(key)) {
                    problems.add(id(o) + " needs key " + key + " of ConfigMap " + name);
                }
            }
        }));
        assertThat(problems).isEmpty();
        // and nothing the values name as external is rendered by the chart as well
        assertThat(secrets.keySet()).filteredOn(external::contains).isEmpty();
        // every rendered Secret and ConfigMap is used by something
        assertThat(referencedSecrets).containsAll(secrets.keySet());
        assertThat(referencedConfigMaps).containsAll(configMaps.keySet());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void selectorsMatchTheirPods(Variant variant) {
        Rendered r = Manifests.rendered(variant);
        r.workloads().forEach(w -> assertThat(selects(w.path("spec").path("selector"), podLabels(w)))
                .as("%s selects its own pod template", id(w)).isTrue());
        r.ofKind("Service").forEach(service -> {
            List<JsonNode> selected = selected(r, Manifests.matchLabels(service.path("spec").path("selector")));
            assertThat(selected).as("%s selects exactly one workload", id(service)).hasSize(1);
            Set<String> portNames = new TreeSet<>();
            containers(selected.get(0)).forEach(c -> c.path("ports").forEach(p -> portNames.add(p.path("name").asText())));
            service.path("spec").path("ports").forEach(p -> assertThat(portNames)
                    .as("%s targetPort", id(service)).contains(p.path("targetPort").asText()));
        });
        List<JsonNode> pdbs = r.ofKind("PodDisruptionBudget").toList();
        assertThat(pdbs).hasSize(4);
        pdbs.forEach(pdb -> assertThat(selected(r, pdb.path("spec").path("selector")))
                .as("%s selects exactly one workload", id(pdb)).hasSize(1));
        r.ofKind("NetworkPolicy").forEach(np -> assertThat(selected(r, np.path("spec").path("podSelector")))
                .as("%s applies to exactly one workload", id(np)).hasSize(1));
        r.ofKind("Ingress").forEach(ingress -> ingress.path("spec").path("rules").forEach(rule ->
                rule.path("http").path("paths").forEach(path -> {
                    assertThat(path.path("backend").path("service").path("name").asText())
                            .as("the Ingress reaches the scanner only").isEqualTo(objectName("scanner-service"));
                    assertThat(path.path("path").asText()).matches("/(api|dashboard)(/.*)?");
                })));
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void autoscalersTargetRenderedDeploymentsAndNeverTheGateway(Variant variant) {
        Rendered r = Manifests.rendered(variant);
        Map<String, String> targets = new HashMap<>();
        r.objects().stream().filter(o -> kind(o).equals("HorizontalPodAutoscaler") || kind(o).equals("ScaledObject"))
                .forEach(scaler -> {
                    JsonNode ref = scaler.path("spec").path("scaleTargetRef");
                    String target = ref.path("kind").asText("Deployment") + "/" + ref.path("name").asText();
                    assertThat(r.find(ref.path("kind").asText("Deployment"), ref.path("name").asText()))
                            .as("%s targets %s", id(scaler), target).isPresent();
                    assertThat(targets.put(target, id(scaler))).as("%s is scaled twice", target).isNull();
                    JsonNode deployment = r.get("Deployment", ref.path("name").asText());
                    assertThat(deployment.path("spec").has("replicas"))
                            .as("%s leaves replicas to its autoscaler", target).isFalse();
                });
        assertThat(targets.keySet()).allMatch(t -> t.endsWith("scanner-service") || t.endsWith("analyzer-service"));
        assertThat(targets).containsKeys("Deployment/" + objectName("scanner-service"), "Deployment/" + objectName("analyzer-service"));

        JsonNode gateway = r.get("Deployment", objectName("llm-gateway"));
        // replicas share the limits through PostgreSQL: two by default, any number allowed, rolled one at a time,
        // one kept by the PDB
        assertThat(gateway.path("spec").path("replicas").asInt()).as("gateways (all-on sets 3)")
                .isEqualTo(variant == Variant.ALL_ON ? 3 : 2);
        assertThat(gateway.path("spec").path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
        assertThat(gateway.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").asInt())
                .as("a rollout never takes a gateway away before its successor is ready").isZero();
        JsonNode gatewayBudget = r.get("PodDisruptionBudget", objectName("llm-gateway"));
        assertThat(gatewayBudget.path("spec").path("maxUnavailable").asInt()).as("a drain keeps one gateway").isEqualTo(1);

        if (variant == Variant.ALL_ON) {
            JsonNode scaled = r.get("ScaledObject", objectName("analyzer-service"));
            JsonNode trigger = scaled.path("spec").path("triggers").get(0);
            assertThat(trigger.path("type").asText()).isEqualTo("artemis-queue");
            assertThat(trigger.path("metadata").path("queueName").asText()).isEqualTo("drep.analysis.requests");
            assertThat(trigger.path("metadata").path("brokerAddress").asText()).isEqualTo("drep.analysis.requests");
            assertThat(trigger.path("metadata").path("managementEndpoint").asText())
                    .isEqualTo(objectName("artemis") + "." + Manifests.NAMESPACE + ".svc:8161");
            String auth = trigger.path("authenticationRef").path("name").asText();
            assertThat(r.find("TriggerAuthentication", auth)).isPresent();
            assertThat(r.find("HorizontalPodAutoscaler", objectName("analyzer-service")))
                    .as("KEDA owns the analyzer's HPA").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theServiceAccountHasNoRightsAndNoToken(Variant variant) {
        Rendered r = Manifests.rendered(variant);
        assertThat(r.objects()).noneMatch(o -> Set.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding").contains(kind(o)));
        List<JsonNode> accounts = r.ofKind("ServiceAccount").toList();
        assertThat(accounts).hasSize(1);
        assertThat(accounts.get(0).path("automountServiceAccountToken").asBoolean(true)).isFalse();
        r.workloads().forEach(w -> assertThat(podSpec(w).path("serviceAccountName").asText()).isEqualTo(name(accounts.get(0))));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Names of Secrets the values declare as existing outside the chart. */
    static Set<String> externalSecretNames(JsonNode values) {
        Set<String> names = new TreeSet<>();
        addIfSet(names, values.path("database").path("auth").path("existingSecret"));
        addIfSet(names, values.path("amqp").path("auth").path("existingSecret"));
        addIfSet(names, values.path("gateway").path("provider").path("apiKey").path("existingSecret"));
        addIfSet(names, values.path("platforms").path("existingSecret"));
        addIfSet(names, values.path("identity").path("existingSecret"));
        if (values.path("identity").path("oidc").path("enabled").asBoolean()) {
            addIfSet(names, values.path("identity").path("oidc").path("dashboard").path("clientSecret").path("secretName"));
        }
        values.path("database").path("auth").path("serviceSecrets").forEach(secret -> addIfSet(names, secret));
        values.path("amqp").path("auth").path("serviceSecrets").forEach(secret -> addIfSet(names, secret));
        addIfSet(names, values.path("database").path("tls").path("caSecret"));
        if (values.path("amqp").path("tls").path("enabled").asBoolean()) {
            addIfSet(names, values.path("amqp").path("tls").path("caSecret"));
        }
        if (values.path("ingress").path("enabled").asBoolean() && values.path("ingress").path("tls").path("enabled").asBoolean()) {
            addIfSet(names, values.path("ingress").path("tls").path("secretName"));
        }
        values.path("imagePullSecrets").forEach(s -> addIfSet(names, s));
        for (String service : List.of("scanner", "analyzer", "gateway", "publisher")) {
            values.path(service).path("extraSecretEnv").forEach(e -> addIfSet(names, e.path("secretName")));
        }
        return names;
    }

    private static void addIfSet(Set<String> names, JsonNode value) {
        if (value.isTextual() && !value.asText().isBlank()) {
            names.add(value.asText());
        }
    }

    interface ReferenceVisitor {
        void visit(String type, String name, String key, boolean optional);
    }

    /** Every Secret / ConfigMap reference of an object: env, envFrom, volumes, pull secrets, TLS, KEDA auth. */
    static void forEachReference(JsonNode o, ReferenceVisitor visitor) {
        if (Manifests.isWorkload(o)) {
            JsonNode pod = podSpec(o);
            for (JsonNode c : containers(o)) {
                for (JsonNode env : c.path("env")) {
                    JsonNode secret = env.path("valueFrom").path("secretKeyRef");
                    if (!secret.isMissingNode()) {
                        visitor.visit("Secret", secret.path("name").asText(), secret.path("key").asText(), secret.path("optional").asBoolean());
                    }
                    JsonNode config = env.path("valueFrom").path("configMapKeyRef");
                    if (!config.isMissingNode()) {
                        visitor.visit("ConfigMap", config.path("name").asText(), config.path("key").asText(), config.path("optional").asBoolean());
                    }
                }
                for (JsonNode from : c.path("envFrom")) {
                    if (from.has("secretRef")) {
                        visitor.visit("Secret", from.path("secretRef").path("name").asText(), null, from.path("secretRef").path("optional").asBoolean());
                    }
                    if (from.has("configMapRef")) {
                        visitor.visit("ConfigMap", from.path("configMapRef").path("name").asText(), null, from.path("configMapRef").path("optional").asBoolean());
                    }
                }
            }
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.has("secret")) {
                    visitor.visit("Secret", volume.path("secret").path("secretName").asText(), null, volume.path("secret").path("optional").asBoolean());
                }
                if (volume.has("configMap")) {
                    visitor.visit("ConfigMap", volume.path("configMap").path("name").asText(), null, volume.path("configMap").path("optional").asBoolean());
                }
                for (JsonNode source : volume.path("projected").path("sources")) {
                    if (source.has("secret")) {
                        visitor.visit("Secret", source.path("secret").path("name").asText(), null, source.path("secret").path("optional").asBoolean());
                    }
                    if (source.has("configMap")) {
                        visitor.visit("ConfigMap", source.path("configMap").path("name").asText(), null, source.path("configMap").path("optional").asBoolean());
                    }
                }
            }
            for (JsonNode pull : pod.path("imagePullSecrets")) {
                visitor.visit("Secret", pull.path("name").asText(), null, false);
            }
        }
        if (kind(o).equals("Ingress")) {
            for (JsonNode tls : o.path("spec").path("tls")) {
                visitor.visit("Secret", tls.path("secretName").asText(), null, false);
            }
        }
        if (kind(o).equals("TriggerAuthentication")) {
            for (JsonNode ref : o.path("spec").path("secretTargetRef")) {
                visitor.visit("Secret", ref.path("name").asText(), ref.path("key").asText(), false);
            }
        }
    }

    static Set<String> secretEnvNames(JsonNode workload) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode c : containers(workload)) {
            for (JsonNode env : c.path("env")) {
                if (env.path("valueFrom").has("secretKeyRef")) {
                    names.add(env.path("name").asText());
                }
            }
        }
        return names;
    }

    private static Map<String, JsonNode> byName(Rendered r, String kind) {
        Map<String, JsonNode> out = new HashMap<>();
        r.ofKind(kind).forEach(o -> out.put(name(o), o));
        return out;
    }

    private static List<JsonNode> selected(Rendered r, JsonNode selector) {
        return r.workloads().filter(w -> selects(selector, podLabels(w))).toList();
    }

    private static JsonNode effective(JsonNode container, JsonNode pod, String field) {
        return container.has(field) ? container.path(field) : pod.path(field);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static List<String> mountPaths(JsonNode container) {
        return container.path("volumeMounts").findValuesAsText("mountPath");
    }
}
