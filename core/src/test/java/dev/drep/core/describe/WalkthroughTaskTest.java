package dev.drep.core.describe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Walkthrough;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalkthroughTaskTest {
    private static final WalkthroughSettings SETTINGS = new WalkthroughSettings(true, "default", "v1", 1_000, 400, 800,
            20_000);

    private static FileToAnalyze diff(String path, int chars) {
        return new FileToAnalyze(path, null, "d".repeat(chars) + "\n", List.of());
    }

    @Test
    void aLargeDiffIsBoundedToOneCallAndTheRestIsListedWithoutALine() {
        List<FileToAnalyze> files = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            files.add(diff("f" + i + ".txt", 299));
        }
        WalkthroughTask.Prompt prompt = WalkthroughTask.prompt(files, SETTINGS);

        assertThat(prompt.asked()).containsExactly("f0.txt", "f1.txt", "f2.txt");
        assertThat(prompt.unlisted()).hasSize(7);
        assertThat(prompt.taskClass()).isEqualTo("complex");
        assertThat(WalkthroughTask.overBudgetNote(prompt)).isEqualTo("7 files are listed without a description: the "
                + "change is larger than the walkthrough's budget.");
        int promptChars = prompt.messages().stream().mapToInt(m -> m.content().length()).sum();
        assertThat(promptChars).isLessThan(SETTINGS.maxPromptChars() + 3_000);
    }

    @Test
    void aSmallDiffIsASimpleTask() {
        assertThat(WalkthroughTask.prompt(List.of(diff("a.txt", 10)), SETTINGS).taskClass()).isEqualTo("simple");
    }

    @Test
    void theDiffGoesIntoADataBlockAndTheSameDiffGivesTheSameKey() {
        WalkthroughTask.Prompt one = WalkthroughTask.prompt(List.of(diff("a.txt", 10)), SETTINGS);
        WalkthroughTask.Prompt two = WalkthroughTask.prompt(List.of(diff("a.txt", 10)), SETTINGS);
        WalkthroughTask.Prompt other = WalkthroughTask.prompt(List.of(diff("a.txt", 11)), SETTINGS);

        assertThat(one.messages().get(1).content()).contains("<<<DATA ");
        assertThat(one.cacheKey()).isEqualTo(two.cacheKey()).isNotEqualTo(other.cacheKey());
    }

    @Test
    void linesForPathsNotAskedAboutAreIgnoredAndTextsAreFlattenedAndCut() {
        WalkthroughTask.Prompt prompt = WalkthroughTask.prompt(List.of(diff("a.txt", 10), diff("b.txt", 10)), SETTINGS);
        String answer = "```json\n{\"summary\": \"Line one.\\n\\n# Two\", \"files\": ["
                + "{\"path\": \"a.txt\", \"line\": \"" + "x".repeat(500) + "\"},"
                + "{\"path\": \"../etc/passwd\", \"line\": \"injected\"},"
                + "{\"path\": \"b.txt\", \"line\": 42}]}\n```";

        WalkthroughTask.Reading reading = WalkthroughTask.read(answer, prompt, 20_000);

        Walkthrough walkthrough = reading.walkthrough();
        assertThat(walkthrough.overview()).isEqualTo("Line one. # Two");
        assertThat(walkthrough.files()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("a.txt");
            assertThat(f.line()).hasSize(WalkthroughTask.MAX_LINE_CHARS).endsWith("…");
        });
        assertThat(walkthrough.unlisted()).containsExactly("b.txt");
    }

    @Test
    void answersOfTheWrongShapeAreNotRead() {
        WalkthroughTask.Prompt prompt = WalkthroughTask.prompt(List.of(diff("a.txt", 10)), SETTINGS);

        assertThat(WalkthroughTask.read("no json here", prompt, 20_000).problem()).isNotNull();
        assertThat(WalkthroughTask.read("[1, 2]", prompt, 20_000).problem()).contains("not an object");
        assertThat(WalkthroughTask.read("{\"summary\": 3, \"files\": []}", prompt, 20_000).problem())
                .contains("not an object");
        assertThat(WalkthroughTask.read("{\"summary\": \"s\", \"files\": {}}", prompt, 20_000).walkthrough()).isNull();
        assertThat(WalkthroughTask.read("{\"summary\": \"" + "s".repeat(30_000) + "\", \"files\": []}", prompt, 20_000)
                .problem()).contains("over the limit");
    }
}
