package dev.drep.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * k8s/base is the chart rendered with its default values, for users without Helm, except that the identity tokens
 * come from a Secret the user makes ({@link #BASE_SETS}): a generated token committed to the repository would be
 * every installation's admin token. This test
 * keeps the two in sync (regenerate with {@code -Ddrep.k8s.regenerateBase=true}) and renders the
 * base with {@code kubectl kustomize} when kubectl is installed; without it, the base's
 * kustomization (plain local resources, no transformers) is resolved here.
 */
class KustomizeBaseTest {

    static final String REGENERATE = "drep.k8s.regenerateBase";
    /** The kubectl to use (a path, or a name looked up on PATH); a missing one selects the fallback. */
    static final String KUBECTL = System.getProperty("drep.k8s.kubectl", "kubectl");
    static final String HOW_TO_REGENERATE =
            "./mvnw -B -q -pl k8s-tests verify -D" + REGENERATE + "=true";

    /** The values the base is rendered with on top of the defaults. */
    static final Map<String, Object> BASE_SETS = Map.of("identity.existingSecret", "drep-identity");

    static final YAMLMapper WRITER = YAMLMapper.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // strings that look like numbers ("8081" in a ConfigMap) must stay strings
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();

    @Test
    void baseIsTheChartRenderedWithDefaultValues() throws IOException {
        Map<String, String> expected = generate();
        if (Boolean.getBoolean(REGENERATE)) {
            Files.createDirectories(Manifests.BASE);
            for (Path stale : baseFiles()) {
                if (!expected.containsKey(stale.getFileName().toString())) {
                    Files.delete(stale);
                }
            }
            for (Map.Entry<String, String> file : expected.entrySet()) {
                Files.writeString(Manifests.BASE.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
        }
        Map<String, String> actual = new TreeMap<>();
        for (Path file : baseFiles()) {
            actual.put(file.getFileName().toString(), Files.readString(file));
        }
        assertThat(actual.keySet()).as("files of k8s/base (regenerate with %s)", HOW_TO_REGENERATE)
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, String> file : expected.entrySet()) {
            assertThat(actual.get(file.getKey()))
                    .as("k8s/base/%s is out of date with the chart; regenerate with %s", file.getKey(), HOW_TO_REGENERATE)
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void baseRendersToTheSameObjectsAsTheChart() throws Exception {
        String rendered = kubectlAvailable() ? kubectlKustomize() : resolveKustomizationHere();
        Map<String, JsonNode> fromBase = byId(Manifests.parse(rendered));
        Map<String, JsonNode> fromChart = byId(normalizedChartObjects());
        assertThat(fromBase.keySet()).containsExactlyInAnyOrderElementsOf(fromChart.keySet());
        for (Map.Entry<String, JsonNode> object : fromChart.entrySet()) {
            assertThat(fromBase.get(object.getKey())).as(object.getKey()).isEqualTo(object.getValue());
        }
        // the same objects the chart tests check: four Deployments, Services, PDBs, NetworkPolicies...
        assertThat(fromBase.keySet()).filteredOn(id -> id.startsWith("Deployment/")).hasSize(4);
        assertThat(fromBase.keySet()).filteredOn(id -> id.startsWith("NetworkPolicy/")).hasSize(4);
    }

    // ---- generation ----------------------------------------------------------------------------

    /** File name -> content of k8s/base. */
    static Map<String, String> generate() throws IOException {
        Map<String, List<JsonNode>> files = new TreeMap<>();
        List<JsonNode> objects = new ArrayList<>(normalizedChartObjects());
        objects.sort(Comparator.comparingInt(KustomizeBaseTest::kindOrder).thenComparing(Manifests::name));
        for (JsonNode o : objects) {
            files.computeIfAbsent(fileFor(o), f -> new ArrayList<>()).add(o);
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, List<JsonNode>> file : files.entrySet()) {
            StringBuilder text = new StringBuilder(header());
            boolean first = true;
            for (JsonNode o : file.getValue()) {
                if (!first) {
                    text.append("---\n");
                }
                first = false;
                text.append(WRITER.writeValueAsString(o));
            }
            out.put(file.getKey(), text.toString());
        }
        StringBuilder kustomization = new StringBuilder(header());
        kustomization.append("""
                # Plain resources, no transformers: overlays add a namespace, images, Secrets and patches
                # (see k8s/README.md).
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                """);
        for (String file : files.keySet()) {
            kustomization.append("  - ").append(file).append('\n');
        }
        out.put("kustomization.yaml", kustomization.toString());
        return out;
    }

    private static String header() {
        return "# Generated from k8s/helm/drep with its default values (release name \"drep\") and\n"
                + "# identity.existingSecret=drep-identity by k8s-tests/KustomizeBaseTest. Do not edit: change\n"
                + "# the chart, then run\n"
                + "#   " + HOW_TO_REGENERATE + "\n";
    }

    private static final List<String> KIND_ORDER = List.of("ServiceAccount", "Secret", "ConfigMap", "Service",
            "Deployment", "StatefulSet", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy");

    /** Readable order inside a file: configuration, then the workload, then what guards it. */
    private static int kindOrder(JsonNode o) {
        int index = KIND_ORDER.indexOf(Manifests.kind(o));
        return index < 0 ? KIND_ORDER.size() : index;
    }

    /** One file per service (its ConfigMap, Service, Deployment, autoscaler, PDB and NetworkPolicy), plus Secrets and the ServiceAccount. */
    private static String fileFor(JsonNode o) {
        String kind = Manifests.kind(o);
        if (kind.equals("Secret")) {
            return "secrets.yaml";
        }
        if (kind.equals("ServiceAccount")) {
            return "serviceaccount.yaml";
        }
        String component = o.path("metadata").path("labels").path("app.kubernetes.io/component").asText();
        if (component.isEmpty()) {
            throw new AssertionError("no component label on " + Manifests.id(o));
        }
        return component + ".yaml";
    }

    /**
     * The chart's default rendering without what only makes sense under Helm: the helm.sh/chart
     * label, managed-by Helm (kustomize here) and the checksum annotations that roll pods when
     * Helm changes a ConfigMap or Secret.
     */
    static List<JsonNode> normalizedChartObjects() {
        String yaml = Manifests.template(null, BASE_SETS);
        List<JsonNode> objects = new ArrayList<>();
        for (JsonNode o : Manifests.parse(yaml)) {
            JsonNode copy = o.deepCopy();
            normalize(copy);
            objects.add(copy);
        }
        return objects;
    }

    private static void normalize(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode labels = object.get("labels");
            if (labels instanceof ObjectNode labelMap) {
                labelMap.remove("helm.sh/chart");
                if (labelMap.has("app.kubernetes.io/managed-by")) {
                    labelMap.put("app.kubernetes.io/managed-by", "kustomize");
                }
            }
            JsonNode annotations = object.get("annotations");
            if (annotations instanceof ObjectNode annotationMap) {
                annotationMap.remove(List.of("checksum/config", "checksum/secrets"));
                if (annotationMap.isEmpty()) {
                    object.remove("annotations");
                }
            }
            Iterator<JsonNode> children = object.elements();
            while (children.hasNext()) {
                normalize(children.next());
            }
        } else if (node != null && node.isArray()) {
            node.forEach(KustomizeBaseTest::normalize);
        }
    }

    // ---- rendering -----------------------------------------------------------------------------

    private static boolean kubectlAvailable() {
        try {
            Process p = new ProcessBuilder(KUBECTL, "version", "--client").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String kubectlKustomize() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(KUBECTL, "kustomize", Manifests.BASE.toString()).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        byte[] stderr = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("kubectl kustomize k8s/base did not finish in 60 s");
        }
        assertThat(p.exitValue()).as("kubectl kustomize k8s/base: %s", new String(stderr, StandardCharsets.UTF_8)).isZero();
        System.out.println("[KustomizeBaseTest] rendered k8s/base with `kubectl kustomize`");
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /**
     * Without kubectl: the base's kustomization.yaml only lists local resource files (checked
     * here), so kustomize's output is those files' objects.
     */
    private static String resolveKustomizationHere() throws IOException {
        JsonNode kustomization = Manifests.readYaml(Manifests.BASE.resolve("kustomization.yaml"));
        List<String> fields = new ArrayList<>();
        kustomization.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("k8s/base/kustomization.yaml may only list resources")
                .containsExactlyInAnyOrder("apiVersion", "kind", "resources");
        StringBuilder out = new StringBuilder();
        for (JsonNode resource : kustomization.path("resources")) {
            Path file = Manifests.BASE.resolve(resource.asText()).normalize();
            assertThat(file.getParent()).as("resource %s is a file of k8s/base", resource.asText()).isEqualTo(Manifests.BASE);
            out.append(Files.readString(file)).append("\n---\n");
        }
        System.out.println("[KustomizeBaseTest] kubectl not found: resolved k8s/base/kustomization.yaml in the test");
        return out.toString();
    }

    private static Map<String, JsonNode> byId(List<JsonNode> objects) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode o : objects) {
            assertThat(out.put(Manifests.id(o), o)).as("duplicate %s", Manifests.id(o)).isNull();
        }
        return out;
    }

    private static List<Path> baseFiles() throws IOException {
        if (!Files.isDirectory(Manifests.BASE)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Manifests.BASE)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
