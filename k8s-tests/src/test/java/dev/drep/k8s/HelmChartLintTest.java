package dev.drep.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code helm lint --strict}: warnings fail too. */
class HelmChartLintTest {

    @Test
    void chartLintsStrictlyWithDefaultValues() {
        LintResult result = new Helm(Manifests.CHART).lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void chartLintsStrictlyWithEveryOptionOn() throws Exception {
        // helm lint reads values.yaml only: lint a copy whose values.yaml is defaults + ci/all-on-values.yaml
        Path copy = Manifests.chartWithValues(Manifests.ALL_ON_VALUES);
        try {
            LintResult result = new Helm(copy).lint().strict().call();
            assertThat(result.isFailed()).as("helm lint --strict (all options on): %s", result.getMessages()).isFalse();
            assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
        } finally {
            deleteRecursively(copy.getParent());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
