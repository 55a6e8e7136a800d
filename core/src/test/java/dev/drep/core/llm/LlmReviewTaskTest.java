package dev.drep.core.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LlmReviewTaskTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LlmReviewTask task = new LlmReviewTask(3, 32_000, 400_000);

    static String lines(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            text.append("line ").append(i).append(" of the file, some code here;\n");
        }
        return text.toString();
    }

    @Test
    void hunksAroundChangesAreNumberedAndGapsAreNamed() {
        FileToAnalyze file = new FileToAnalyze("src/a.py", "sha", lines(300),
                List.of(new LineRange(5, 5), new LineRange(200, 201)));
        FilePlan<LlmReviewTask.Shown> plan = task.plan(file);
        assertThat(plan.items()).hasSize(1);
        PromptItem item = plan.items().get(0);
        assertThat(item.answerable()).containsExactly(new LineRange(2, 8), new LineRange(197, 204));
        assertThat(item.section()).contains("### File: src/a.py\n", "  5+| line 5 of", "  4 | line 4 of",
                "@@ lines 9-196 unchanged, not shown @@", "201+| line 201 of");
        assertThat(item.section()).doesNotContain("line 100 of");
    }

    @Test
    void largeFilesAreSplitIntoChunksThatTogetherShowEveryChangedLine() {
        FileToAnalyze file = new FileToAnalyze("src/big.py", "sha", lines(3_000), List.of(new LineRange(1, 3_000)));
        FilePlan<LlmReviewTask.Shown> plan = task.plan(file);
        assertThat(plan.items().size()).isGreaterThanOrEqualTo(4);
        for (PromptItem item : plan.items()) {
            assertThat(item.section().length()).isLessThan(32_000 + 200);
            assertThat(item.section()).contains("(part ");
        }
        List<Integer> shown = new ArrayList<>();
        plan.items().forEach(item -> item.answerable().forEach(r -> IntStream.rangeClosed(r.start(), r.end())
                .forEach(shown::add)));
        assertThat(shown).containsExactlyElementsOf(IntStream.rangeClosed(1, 3_000).boxed().toList());
    }

    @Test
    void filesOverTheSizeLimitAreSkippedAndNamed() {
        LlmReviewTask small = new LlmReviewTask(3, 32_000, 1_000);
        FilePlan<LlmReviewTask.Shown> plan = small.plan(new FileToAnalyze("gen/huge.js", "sha", lines(100),
                List.of(new LineRange(1, 1))));
        assertThat(plan.skipped().path()).isEqualTo("gen/huge.js");
        assertThat(plan.skipped().reason()).startsWith("not analyzed: the file has ")
                .contains("over the LLM review limit of 1000");
    }

    @Test
    void answersAreValidatedEntryByEntry() throws Exception {
        FileToAnalyze a = new FileToAnalyze("a.py", "s1", lines(50), List.of(new LineRange(10, 10)));
        FileToAnalyze b = new FileToAnalyze("b.py", "s2", lines(50), List.of(new LineRange(20, 20)));
        List<PromptItem> items = new ArrayList<>(task.plan(a).items());
        items.addAll(task.plan(b).items());
        Batch batch = new Batch(items);
        JsonNode answer = JSON.readTree("""
                {"findings":[
                  {"path":"a.py","line":10,"quote":"line 10 of the file","severity":"critical","category":"bug","message":"off by one","suggestion":"x = 1"},
                  {"path":"./b.py","line":"21","quote":"line 21 of the file","severity":"Medium","category":"best_practices","message":"use a constant"},
                  {"path":"c.py","line":1,"quote":"line 1","severity":"low","category":"style","message":"not in the batch"},
                  {"path":"a.py","line":40,"quote":"line 40 of the file","severity":"low","category":"style","message":"not shown"},
                  {"path":"a.py","line":"twelve","severity":"low","category":"style","message":"bad line"},
                  {"path":"a.py","line":10,"severity":3,"category":"style","message":"bad severity"},
                  {"path":"a.py","line":10,"severity":"low","category":"gossip","message":"bad category"},
                  {"path":"a.py","line":10,"severity":"low","category":"style","message":{"text":"not text"}},
                  "just a string"
                ]}""");
        AnswerReading reading = task.read(answer, batch);
        assertThat(reading.usable()).isTrue();
        assertThat(reading.findings().get("a.py")).containsExactly(
                new Finding("llm.bug", "a.py", 10, Severity.ERROR, "off by one", "x = 1"));
        assertThat(reading.findings().get("b.py")).containsExactly(
                new Finding("llm.best-practice", "b.py", 21, Severity.WARNING, "use a constant", null));
        assertThat(reading.findings()).doesNotContainKey("c.py");
        assertThat(reading.rejected()).hasSize(7);
        assertThat(reading.dropped()).containsOnly(Map.entry(DropReason.PATH_NOT_IN_REQUEST, 1),
                Map.entry(DropReason.LINE_NOT_SHOWN, 1), Map.entry(DropReason.MALFORMED, 5));
    }

    @Test
    void answersOfTheWrongShapeAreUnusable() throws Exception {
        Batch batch = new Batch(task.plan(new FileToAnalyze("a.py", "s", lines(5), List.of(new LineRange(1, 1))))
                .items());
        assertThat(task.read(JSON.readTree("{\"findings\":\"none\"}"), batch).usable()).isFalse();
        assertThat(task.read(JSON.readTree("{\"summary\":\"all good\"}"), batch).usable()).isFalse();
        assertThat(task.read(JSON.readTree("[]"), batch).usable()).isTrue();
    }

    @Test
    void severitiesAndCategoriesMapAsDocumented() {
        assertThat(LlmReviewTask.severity("critical")).isEqualTo(Severity.ERROR);
        assertThat(LlmReviewTask.severity("high")).isEqualTo(Severity.ERROR);
        assertThat(LlmReviewTask.severity("medium")).isEqualTo(Severity.WARNING);
        assertThat(LlmReviewTask.severity("low")).isEqualTo(Severity.INFO);
        assertThat(LlmReviewTask.severity("urgent")).isNull();
        assertThat(LlmReviewTask.category("Best Practice")).isEqualTo("best-practice");
        assertThat(LlmReviewTask.category("maintainability")).isEqualTo("maintainability");
    }

    @Test
    void findingsOnChangedLinesAreInlineOthersShownGoToTheSummary() {
        FileToAnalyze file = new FileToAnalyze("a.py", "s", lines(50), List.of(new LineRange(10, 10)));
        FilePlan<LlmReviewTask.Shown> plan = task.plan(file);
        FileOutcome outcome = task.finish(plan, List.of(
                new Finding("llm.bug", "a.py", 10, Severity.ERROR, "changed", null),
                new Finding("llm.bug", "a.py", 12, Severity.ERROR, "context", null),
                new Finding("llm.bug", "a.py", 40, Severity.ERROR, "elsewhere", null)));
        assertThat(outcome.inline()).extracting(Finding::message).containsExactly("changed");
        assertThat(outcome.summary()).extracting(Finding::message).containsExactly("context");
    }
}
