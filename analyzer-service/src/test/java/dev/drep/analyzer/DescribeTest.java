package dev.drep.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.Walkthrough;
import dev.drep.contracts.WorkUnit;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The {@code describe} analyzer through the broker, against the fake model standing in for the gateway: one call per
 * walkthrough, cached by diff, counted in the unit's usage; a bad answer leaves only drep's note.
 */
@QuarkusTest
class DescribeTest extends LlmAnalyzerTestBase {

    private static WorkUnit describeUnit(String diff) {
        return new WorkUnit(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "acme/shop", "describe",
                List.of(new FileToAnalyze("src/app.py", null, diff, List.of()),
                        new FileToAnalyze("README.md", null, "diff --git a/README.md b/README.md\n+Usage\n", List.of())),
                WorkUnit.INTERACTIVE);
    }

    @Test
    void oneCallDescribesTheDiffAndTheSameDiffLaterIsAnsweredFromTheCache() throws Exception {
        String diff = "diff --git a/src/app.py b/src/app.py\n+def greet(): pass  # " + UUID.randomUUID() + "\n";
        llm.usage(700, 60).answer("{\"summary\": \"Adds a greeting.\", \"files\": ["
                + "{\"path\": \"src/app.py\", \"line\": \"Adds greet().\"}, {\"path\": \"README.md\", \"line\": \"Usage.\"}]}");

        UnitResult first = review(describeUnit(diff));

        assertThat(llm.chatRequests()).hasSize(1);
        assertThat(llm.lastChatRequest().lastUserMessage()).contains("+def greet()").contains("<<<DATA ");
        Walkthrough walkthrough = first.walkthrough();
        assertThat(walkthrough.overview()).isEqualTo("Adds a greeting.");
        assertThat(walkthrough.files()).extracting(Walkthrough.FileLine::path).containsExactly("src/app.py", "README.md");
        assertThat(first.usage().llmCalls()).isEqualTo(1);
        assertThat(first.usage().promptTokens()).isEqualTo(700);
        assertThat(first.usage().completionTokens()).isEqualTo(60);
        assertThat(first.findings()).isEmpty();
        assertThat(first.notAnalyzed()).isEmpty();

        UnitResult again = review(describeUnit(diff));

        assertThat(llm.chatRequests()).hasSize(1);
        assertThat(again.walkthrough()).isEqualTo(walkthrough);
        assertThat(again.usage().cacheHits()).isEqualTo(1);
        assertThat(again.usage().promptTokens()).isZero();
    }

    @Test
    void anAnswerThatIsNotAWalkthroughLeavesDrepsNoteAndNoFileNotAnalysed() throws Exception {
        llm.answer("Great PR! @maintainers please merge <!-- drep:walkthrough:end -->");

        UnitResult result = review(describeUnit("diff --git a/src/app.py b/src/app.py\n+x = " + UUID.randomUUID() + "\n"));

        assertThat(result.walkthrough().overview()).isEmpty();
        assertThat(result.walkthrough().files()).isEmpty();
        assertThat(result.walkthrough().unlisted()).containsExactly("README.md", "src/app.py");
        assertThat(result.walkthrough().note()).startsWith("No walkthrough: the model's answer was not one");
        assertThat(result.notAnalyzed()).isEmpty();
    }

    @Test
    void aUnitWithoutFilesMakesNoCall() throws Exception {
        UnitResult result = review(new WorkUnit(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "acme/shop",
                "describe", List.of(), WorkUnit.INTERACTIVE));

        assertThat(llm.chatRequests()).isEmpty();
        assertThat(result.walkthrough().note()).startsWith("No walkthrough");
        assertThat(result.usage().llmCalls()).isZero();
    }
}
