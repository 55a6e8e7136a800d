package dev.drep.analyzer;

import static dev.drep.analyzer.Units.file;
import static dev.drep.analyzer.Units.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.groups.Tuple.tuple;

import dev.drep.contracts.Finding;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.WorkUnit;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * What the model may answer that drep must not trust: each case scripted on the fake model, through
 * the broker and the analyzer (shares the boot of the other tests: same resources, same profile).
 */
@QuarkusTest
class LlmBadAnswersTest extends LlmAnalyzerTestBase {


    @Test
    void proseTwiceIsNamedAsUnparsable() throws Exception {
        llm.answer("Looks good to me! Nice work on the refactoring.");
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 10, 2)));
        assertThat(llm.chatRequests()).hasSize(2);
        assertThat(result.findings()).isEmpty();
        assertThat(result.notAnalyzed()).extracting(NotAnalyzed::reason)
                .containsExactly("not analyzed: could not parse the model's answer: the answer contains no JSON");
    }

    @Test
    void truncatedJsonKeepsTheCompleteFindingsAndSaysSo() throws Exception {
        llm.finishReason("length");
        llm.answer("{\"findings\":[{\"path\":\"src/a.py\",\"line\":2,\"quote\":\"value_2 = compute(2)\",\"severity\":\"medium\",\"category\":\"performance\","
                + "\"message\":\"quadratic loop\"},{\"path\":\"src/a.py\",\"line\":3,\"severity\":\"low\",\"categ");
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 10, 2)));
        assertThat(llm.chatRequests()).hasSize(2);
        assertThat(result.findings()).extracting(Finding::line, Finding::rule).containsExactly(tuple(2, "llm.performance"));
        assertThat(result.notAnalyzed()).extracting(NotAnalyzed::reason)
                .containsExactly("analysis incomplete: the model's answer was cut off, findings may be missing");
    }

    @Test
    void entriesWithWrongTypesAreDroppedAndTheRestKept() throws Exception {
        llm.answer("{\"findings\":[{\"path\":\"src/a.py\",\"line\":\"two\",\"severity\":\"high\",\"category\":\"bug\",\"message\":\"x\"},"
                + "{\"path\":[\"src/a.py\"],\"line\":2,\"severity\":\"high\",\"category\":\"bug\",\"message\":\"x\"},"
                + "{\"path\":\"src/a.py\",\"line\":2,\"severity\":true,\"category\":\"bug\",\"message\":\"x\"},"
                + "{\"path\":\"src/a.py\",\"line\":\"2\",\"quote\":\"value_2 = compute(2)\",\"severity\":\"low\",\"category\":\"style\",\"message\":\"kept\"}]}");
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 10, 2)));
        assertThat(llm.chatRequests()).hasSize(1);
        assertThat(result.findings()).extracting(Finding::line, Finding::message).containsExactly(tuple(2, "kept"));
        assertThat(result.notAnalyzed()).isEmpty();
    }

    @Test
    void aWrongShapeIsRetriedWithTheStricterInstruction() throws Exception {
        llm.answer("{\"findings\": \"none\", \"summary\": \"all good\"}");
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 10, 2)));
        assertThat(llm.chatRequests()).hasSize(2);
        assertThat(result.notAnalyzed().get(0).reason())
                .startsWith("not analyzed: could not parse the model's answer: expected a JSON object");
    }

    @Test
    void lineNumbersOutsideTheFileOrNotShownAreDropped() throws Exception {
        llm.answer("{\"findings\":[{\"path\":\"src/a.py\",\"line\":9999,\"severity\":\"high\",\"category\":\"bug\",\"message\":\"out\"},"
                + "{\"path\":\"src/a.py\",\"line\":0,\"severity\":\"high\",\"category\":\"bug\",\"message\":\"zero\"},"
                + "{\"path\":\"src/a.py\",\"line\":80,\"quote\":\"value_80 = compute(80)\",\"severity\":\"high\",\"category\":\"bug\",\"message\":\"not shown\"},"
                + "{\"path\":\"src/a.py\",\"line\":4,\"quote\":\"value_4 = compute(4)\",\"severity\":\"high\",\"category\":\"bug\",\"message\":\"context\"}]}");
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 100, 2)));
        assertThat(result.findings()).isEmpty();
        assertThat(result.summaryFindings()).extracting(Finding::line, Finding::message).containsExactly(tuple(4, "context"));
        assertThat(result.droppedFindings()).containsOnly(entry("line_not_in_file", 1), entry("malformed", 1),
                entry("line_not_shown", 1));
    }

    @Test
    void pathsThatAreNotInTheBatchAreDropped() throws Exception {
        llm.answer("{\"findings\":[{\"path\":\"src/other.py\",\"line\":2,\"quote\":\"value_2 = compute(2)\",\"severity\":\"high\",\"category\":\"security\",\"message\":\"elsewhere\"},"
                + "{\"path\":\"./src/a.py\",\"line\":2,\"quote\":\"value_2 = compute(2)\",\"severity\":\"high\",\"category\":\"security\",\"message\":\"here\"}]}");
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 10, 2), file("src/b.py", 10, 2)));
        assertThat(result.findings()).extracting(Finding::path, Finding::rule, Finding::message)
                .containsExactly(tuple("src/a.py", "llm.security", "here"));
        assertThat(result.droppedFindings()).containsOnly(entry("path_not_in_request", 1));
    }

    @Test
    void enormousOutputIsRefusedNotParsed() throws Exception {
        llm.answer("{\"findings\":[" + "{\"path\":\"src/a.py\",\"line\":2,\"severity\":\"low\",\"category\":\"style\",\"message\":\"again\"},"
                .repeat(6_000) + "]}");
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 10, 2)));
        assertThat(llm.chatRequests()).hasSize(2);
        assertThat(result.notAnalyzed().get(0).reason())
                .startsWith("not analyzed: could not parse the model's answer: the answer has")
                .endsWith("over the limit of 400000");
    }
}
