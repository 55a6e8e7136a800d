package dev.drep.core.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.LineRange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewPriorityTest {

    @Test
    void kindsFollowTheDocumentedRule() {
        assertThat(ReviewPriority.kind("src/main/java/App.java")).isEqualTo(ReviewPriority.Kind.SOURCE);
        assertThat(ReviewPriority.kind("src/test/java/AppTest.java")).isEqualTo(ReviewPriority.Kind.TEST);
        assertThat(ReviewPriority.kind("pkg/util_test.go")).isEqualTo(ReviewPriority.Kind.TEST);
        assertThat(ReviewPriority.kind("web/app.spec.ts")).isEqualTo(ReviewPriority.Kind.TEST);
        assertThat(ReviewPriority.kind("README.md")).isEqualTo(ReviewPriority.Kind.OTHER);
        assertThat(ReviewPriority.kind("package-lock.json")).isEqualTo(ReviewPriority.Kind.GENERATED);
        assertThat(ReviewPriority.kind("vendor/lib/x.go")).isEqualTo(ReviewPriority.Kind.GENERATED);
        assertThat(ReviewPriority.kind("static/app.min.js")).isEqualTo(ReviewPriority.Kind.GENERATED);
        assertThat(ReviewPriority.kind("api/service.pb.go")).isEqualTo(ReviewPriority.Kind.GENERATED);
    }

    @Test
    void sourceComesFirstAndSmallerChangesBeforeLargerOnes() {
        List<FileToAnalyze> files = new ArrayList<>(List.of(file("yarn.lock", 1), file("docs/guide.md", 1),
                file("src/big.py", 200), file("tests/test_x.py", 1), file("src/small.py", 3)));
        files.sort(ReviewPriority.ORDER);
        assertThat(files).extracting(FileToAnalyze::path)
                .containsExactly("src/small.py", "src/big.py", "tests/test_x.py", "docs/guide.md", "yarn.lock");
    }

    private static FileToAnalyze file(String path, int changedLines) {
        return new FileToAnalyze(path, "sha", "x\n".repeat(changedLines), List.of(new LineRange(1, changedLines)));
    }
}
