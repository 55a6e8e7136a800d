package dev.drep.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Renders the chart (offline, through helm-java's bundled Helm) and reads Kubernetes objects. */
final class Manifests {

    static final Path K8S_DIR = Path.of(System.getProperty("drep.k8s.dir", "../k8s")).toAbsolutePath().normalize();
    static final Path CHART = K8S_DIR.resolve("helm/drep");
    static final Path BASE = K8S_DIR.resolve("base");
    static final Path ALL_ON_VALUES = CHART.resolve("ci/all-on-values.yaml");
    static final String RELEASE = "drep";
    static final String NAMESPACE = "drep";

    static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** The value sets every rendering check runs on. */
    enum Variant {
        DEFAULTS(null),
        ALL_ON(ALL_ON_VALUES);

        final Path valuesFile;

        Variant(Path valuesFile) {
            this.valuesFile = valuesFile;
        }
    }

    /** A rendering: the objects and the values that produced them (chart defaults merged with the overlay). */
    record Rendered(Variant variant, List<JsonNode> objects, JsonNode values) {

        Stream<JsonNode> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.path("kind").asText()));
        }

        Optional<JsonNode> find(String kind, String name) {
            return ofKind(kind).filter(o -> name.equals(name(o))).findFirst();
        }

        JsonNode get(String kind, String name) {
            return find(kind, name).orElseThrow(() -> new AssertionError(kind + " " + name + " is not rendered"));
        }

        /** Deployments and StatefulSets. */
        Stream<JsonNode> workloads() {
            return objects.stream().filter(Manifests::isWorkload);
        }

        @Override
        public String toString() {
            return variant.name();
        }
    }

    private static final Map<Variant, Rendered> CACHE = new ConcurrentHashMap<>();

    private Manifests() {
    }

    static Rendered rendered(Variant variant) {
        return CACHE.computeIfAbsent(variant, v -> {
            String yaml = template(v.valuesFile, Map.of());
            JsonNode values = chartDefaults();
            if (v.valuesFile != null) {
                values = merge(values.deepCopy(), readYaml(v.valuesFile));
            }
            return new Rendered(v, parse(yaml), values);
        });
    }

    /**
     * {@code helm template drep k8s/helm/drep --namespace drep [-f values] [--set k=v ...]}, with
     * {@code lookupExistingSecrets=false}: helm-java's template, unlike the helm CLI's, tries to reach a cluster for
     * {@code lookup} and fails without one, so generated credentials are new in every rendering here.
     */
    static String template(Path valuesFile, Map<String, Object> sets) {
        TemplateCommand command = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .set("lookupExistingSecrets", false);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command.call();
    }

    static JsonNode chartDefaults() {
        return readYaml(CHART.resolve("values.yaml"));
    }

    static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every non-empty document of a multi-document YAML stream. */
    static List<JsonNode> parse(String yaml) {
        List<JsonNode> objects = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            Iterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.isObject() && !doc.isEmpty()) {
                    objects.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    /** Helm's merge: maps merge recursively, anything else in the overlay replaces. */
    static JsonNode merge(JsonNode base, JsonNode overlay) {
        if (!(base instanceof ObjectNode target) || !overlay.isObject()) {
            return overlay.deepCopy();
        }
        overlay.fields().forEachRemaining(e -> {
            JsonNode existing = target.get(e.getKey());
            target.set(e.getKey(), existing == null ? e.getValue().deepCopy() : merge(existing, e.getValue()));
        });
        return target;
    }

    /** A copy of the chart in a temporary directory whose values.yaml is the defaults merged with the overlay. */
    static Path chartWithValues(Path overlay) throws IOException {
        Path copy = Files.createTempDirectory("drep-chart-").resolve("drep");
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = CHART.relativize(file);
                if (relative.startsWith("ci")) {
                    continue;
                }
                Path target = copy.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        JsonNode merged = merge(chartDefaults().deepCopy(), readYaml(overlay));
        YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
        return copy;
    }

    // ---- object helpers ------------------------------------------------------------------------

    static String kind(JsonNode o) {
        return o.path("kind").asText();
    }

    static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }

    static String id(JsonNode o) {
        return kind(o) + "/" + name(o);
    }

    static boolean isWorkload(JsonNode o) {
        String kind = kind(o);
        return kind.equals("Deployment") || kind.equals("StatefulSet");
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    static Map<String, String> podLabels(JsonNode workload) {
        return strings(workload.path("spec").path("template").path("metadata").path("labels"));
    }

    static List<JsonNode> containers(JsonNode workload) {
        List<JsonNode> all = new ArrayList<>();
        podSpec(workload).path("initContainers").forEach(all::add);
        podSpec(workload).path("containers").forEach(all::add);
        return all;
    }

    static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** Whether {@code selector} (a LabelSelector: matchLabels and matchExpressions) selects {@code labels}. */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return true;
        }
        for (Map.Entry<String, String> e : strings(selector.path("matchLabels")).entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> throw new AssertionError("unknown selector operator in " + expression);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A plain map selector (Service.spec.selector) as a LabelSelector. */
    static JsonNode matchLabels(JsonNode plainSelector) {
        ObjectNode selector = YAML.createObjectNode();
        selector.set("matchLabels", plainSelector);
        return selector;
    }
}
