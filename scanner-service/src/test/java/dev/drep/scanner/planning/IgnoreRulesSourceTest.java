package dev.drep.scanner.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drep.core.git.LocalRepositories;
import dev.drep.paths.IgnoreRules;
import dev.drep.paths.InvalidPatternException;
import dev.drep.paths.MatchOptions;
import dev.drep.scanner.ScannerConfig;
import dev.drep.testsupport.git.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;

class IgnoreRulesSourceTest {

    @Test
    void defaultsGitignoresConfigurationAndOperatorPatternsLayerLikeGit() throws Exception {
        Path dir = Files.createTempDirectory("ignore-rules");
        String base;
        try (TestRepository repo = TestRepository.init(dir)) {
            base = repo.write(".gitignore", "*.log\n/generated/\n")
                    .write("docs/.gitignore", "drafts/\n!important.log\n")
                    .write("README.md", "x\n")
                    .commit("base");
            // a later commit switches the rules off: rules are read from the commit asked for only
            repo.write(".gitignore", "").write("docs/.gitignore", "").commit("head");
        }
        IgnoreRulesSource source = new IgnoreRulesSource(config(List.of("secret/", "*.bak")));
        IgnoreRules configured = IgnoreRules.of(".drep.yaml ignore", List.of("docs/old/", "!vendor/"), MatchOptions.CASE_SENSITIVE);
        try (Repository git = LocalRepositories.open(dir)) {
            Predicate<String> ignored = source.forCommit(git, base, configured);
            assertThat(ignored)
                    .accepts("node_modules/pkg/README.md", "target/out.md", "a/b/__pycache__/x.md") // defaults
                    .accepts("app.log", "src/deep/trace.log", "generated/api.md") // root .gitignore
                    .accepts("docs/drafts/next.md") // nested .gitignore
                    .accepts("docs/old/page.md") // configuration
                    .accepts("secret/key.md", "notes.bak") // operator
                    .rejects("README.md", "src/generated/api.md", "docs/guide.md", "build.md")
                    .rejects("docs/important.log") // re-included below docs/
                    .rejects("vendor/lib/README.md"); // the configuration re-includes a default

            Predicate<String> withoutCommit = source.forCommit(git, null, IgnoreRules.NONE);
            assertThat(withoutCommit).accepts("node_modules/a.md", "secret/key.md").rejects("app.log", "docs/drafts/next.md");
        }
    }

    @Test
    void anInvalidOperatorPatternStopsTheStartWithItsPosition() {
        assertThatThrownBy(() -> new IgnoreRulesSource(config(List.of("ok/", "[unclosed"))))
                .isInstanceOf(InvalidPatternException.class)
                .hasMessageContaining("drep.scanner.ignore:2");
    }

    static ScannerConfig config(List<String> ignore) {
        return new ScannerConfig() {
            @Override
            public int maxFileBytes() {
                return 1 << 20;
            }

            @Override
            public int filesPerUnit() {
                return 8;
            }

            @Override
            public int llmFilesPerUnit() {
                return 20;
            }

            @Override
            public Optional<List<String>> ignore() {
                return Optional.of(ignore);
            }

            @Override
            public String mirrors() {
                return "unused";
            }

            @Override
            public int fetchTimeoutSeconds() {
                return 10;
            }

            @Override
            public Duration platformTimeout() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration webhookDeliveryRetention() {
                return Duration.ofDays(14);
            }

            @Override
            public Duration jobRetention() {
                return Duration.ofDays(90);
            }

            @Override
            public int retentionBatchSize() {
                return 500;
            }

            @Override
            public int registrationRetries() {
                return 16;
            }

            @Override
            public Duration shutdownGrace() {
                return Duration.ofSeconds(20);
            }

            @Override
            public Webhook webhook() {
                return null;
            }

            @Override
            public JobLimits jobLimits() {
                return null;
            }

            @Override
            public MirrorPruning mirrorPruning() {
                return null;
            }

            @Override
            public Metrics metrics() {
                return () -> Duration.ofSeconds(15);
            }

            @Override
            public Jobs jobs() {
                throw new UnsupportedOperationException("not read by the ignore rules");
            }

            @Override
            public Commands commands() {
                throw new UnsupportedOperationException("not read by the ignore rules");
            }

            @Override
            public Describe describe() {
                throw new UnsupportedOperationException("not read by the ignore rules");
            }
        };
    }
}
