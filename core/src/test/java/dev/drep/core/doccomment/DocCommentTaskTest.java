package dev.drep.core.doccomment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Severity;
import dev.drep.core.llm.AnalysisCache;
import dev.drep.core.llm.ChatOutcome;
import dev.drep.core.llm.ChatRequest;
import dev.drep.core.llm.EngineSettings;
import dev.drep.core.llm.LlmUnitEngine;
import dev.drep.core.llm.TokenCeiling;
import dev.drep.core.llm.UnitContext;
import dev.drep.core.llm.UnitOutcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DocCommentTaskTest {
    private static final String JAVA = """
            package p;

            public class Calc {
                public int add(int a, int b) {
                    int sum = a + b;
                    return sum;
                }
            }
            """;

    private final List<ChatRequest> requests = new CopyOnWriteArrayList<>();

    private UnitOutcome run(String answer, FileToAnalyze... files) {
        LlmUnitEngine engine = new LlmUnitEngine(request -> {
            requests.add(request);
            return CompletableFuture.completedFuture(answer == null ? new ChatOutcome.Refused("LLM gateway unreachable")
                    : new ChatOutcome.Answer(answer, "stop", 10, 10, 0, false));
        }, AnalysisCache.none(), TokenCeiling.unlimited(), EngineSettings.defaults(), Runnable::run);
        return engine.run(new UnitContext("j", "r", "batch"), List.of(files), new DocCommentTask()).toCompletableFuture()
                .join();
    }

    @Test
    void missingDocsGetAProposedCommentAsASuggestion() {
        FileToAnalyze file = new FileToAnalyze("src/Calc.java", "sha", JAVA, List.of(new LineRange(3, 7)));
        UnitOutcome outcome = run("""
                {"docs":[{"path":"src/Calc.java","line":3,"comment":"A calculator."},
                         {"path":"src/Calc.java","line":4,"comment":"Adds two numbers.\\n@param a first\\n@param b second\\n@return the sum"},
                         {"path":"src/Other.java","line":4,"comment":"not in the request"}]}""", file);

        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).taskClass()).isEqualTo("simple");
        assertThat(requests.get(0).priority()).isEqualTo("batch");
        assertThat(outcome.findings()).extracting(Finding::rule, Finding::line, Finding::severity).containsExactly(
                org.assertj.core.groups.Tuple.tuple("doc.missing", 3, Severity.WARNING),
                org.assertj.core.groups.Tuple.tuple("doc.missing", 4, Severity.WARNING));
        assertThat(outcome.findings().get(1).suggestion()).isEqualTo("    /**\n     * Adds two numbers.\n"
                + "     * @param a first\n     * @param b second\n     * @return the sum\n     */\n"
                + "    public int add(int a, int b) {");
        assertThat(outcome.findings().get(1).message()).isEqualTo("The public method `add` has no documentation comment.");
        assertThat(outcome.notAnalyzed()).isEmpty();
    }

    @Test
    void whenTheModelFailsTheFindingsStillArriveWithoutSuggestions() {
        FileToAnalyze file = new FileToAnalyze("src/Calc.java", "sha", JAVA, List.of(new LineRange(4, 4)));
        UnitOutcome outcome = run(null, file);
        assertThat(outcome.findings()).extracting(Finding::line, Finding::suggestion)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(4, null));
        assertThat(outcome.notAnalyzed()).containsExactly(new NotAnalyzed("src/Calc.java",
                "not analyzed: LLM gateway unreachable (the doc-comment findings are listed without a proposed comment)"));
    }

    @Test
    void aFileThatDoesNotParseIsNamedAndTheOthersStillCount() {
        FileToAnalyze broken = new FileToAnalyze("src/broken.py", "s1", "def f(:\n    pass\n", List.of(new LineRange(1, 2)));
        FileToAnalyze fine = new FileToAnalyze("src/Calc.java", "s2", JAVA, List.of(new LineRange(4, 4)));
        UnitOutcome outcome = run("{\"docs\":[]}", broken, fine);
        assertThat(outcome.notAnalyzed()).extracting(NotAnalyzed::path, NotAnalyzed::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("src/broken.py",
                        "not analyzed: could not parse the file (Python syntax error at line 1, column 7: missing ')')"));
        assertThat(outcome.findings()).extracting(Finding::path).containsExactly("src/Calc.java");
    }

    @Test
    void theModelIsAskedForAtMostTheConfiguredNumberOfProposalsPerFile() {
        StringBuilder python = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            python.append("def f").append(i).append("(a):\n    b = a\n    return b\n\n");
        }
        FileToAnalyze file = new FileToAnalyze("src/many.py", "m", python.toString(), List.of(new LineRange(1, 20)));
        LlmUnitEngine engine = new LlmUnitEngine(request -> {
            requests.add(request);
            return CompletableFuture.completedFuture(new ChatOutcome.Answer("{\"docs\":[{\"path\":\"src/many.py\",\"line\":1,"
                    + "\"comment\":\"Returns a.\"}]}", "stop", 1, 1, 0, false));
        }, AnalysisCache.none(), TokenCeiling.unlimited(), EngineSettings.defaults(), Runnable::run);
        UnitOutcome outcome = engine.run(new UnitContext("j", "r", "batch"), List.of(file), new DocCommentTask(2))
                .toCompletableFuture().join();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).messages().get(1).content()).contains("line 1:", "line 5:").doesNotContain("line 9:");
        assertThat(outcome.findings()).hasSize(5);
        assertThat(outcome.findings()).extracting(Finding::suggestion).filteredOn(s -> s != null).hasSize(1);
    }

    @Test
    void documentedOrUnchangedCodeNeedsNoCall() {
        FileToAnalyze file = new FileToAnalyze("src/ok.py", "s", "def f(a):\n    \"\"\"Returns a unchanged.\"\"\"\n    return a\n",
                List.of(new LineRange(1, 3)));
        UnitOutcome outcome = run("{\"docs\":[]}", file);
        assertThat(requests).isEmpty();
        assertThat(outcome.findings()).isEmpty();
        assertThat(outcome.notAnalyzed()).isEmpty();
    }
}
