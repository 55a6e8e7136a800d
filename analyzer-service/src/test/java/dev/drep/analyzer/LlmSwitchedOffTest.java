package dev.drep.analyzer;

import static dev.drep.analyzer.Units.awaitResult;
import static dev.drep.analyzer.Units.file;
import static dev.drep.analyzer.Units.unit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.WorkUnit;
import dev.drep.testsupport.llm.FakeLlmServer;
import dev.drep.testsupport.llm.InjectFakeLlm;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code drep.analyzer.llm.enabled=false}: no call at all, units complete at once with an honest note. */
@QuarkusTest
@TestProfile(LlmSwitchedOffTest.LlmOff.class)
class LlmSwitchedOffTest {

    /** The second (and last) test profile of the module. */
    public static class LlmOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("drep.analyzer.llm.enabled", "false");
        }
    }

    @InjectFakeLlm
    FakeLlmServer llm;

    @Inject
    TestChannels channels;

    @Test
    void llmUnitsCompleteQuicklyWithoutCallsAndDeterministicDocFindingsRemain() throws Exception {
        llm.reset();
        WorkUnit review = unit("llm-review", "interactive", file("src/a.py", 10, 2));
        WorkUnit docs = unit("doc-comments", "interactive", new FileToAnalyze("src/Calc.java", "c1",
                "public class Calc {\n    public int add(int a, int b) {\n        return a + b;\n    }\n}\n",
                List.of(new LineRange(1, 5))));
        long start = System.nanoTime();
        channels.send(review);
        channels.send(docs);
        UnitResult reviewed = awaitResult(review.unitId());
        UnitResult documented = awaitResult(docs.unitId());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        assertThat(llm.chatRequests()).isEmpty();
        assertThat(reviewed.notAnalyzed()).containsExactly(new NotAnalyzed("src/a.py",
                "not analyzed: LLM analysis is switched off (drep.analyzer.llm.enabled=false)"));
        assertThat(documented.findings()).extracting(Finding::line, Finding::suggestion)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, null), org.assertj.core.groups.Tuple.tuple(2, null));
        assertThat(documented.notAnalyzed()).extracting(NotAnalyzed::reason).containsExactly(
                "not analyzed: LLM analysis is switched off (drep.analyzer.llm.enabled=false) (the doc-comment findings "
                        + "are listed without a proposed comment)");
    }
}
