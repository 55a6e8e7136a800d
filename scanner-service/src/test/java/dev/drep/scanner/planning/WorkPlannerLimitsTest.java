package dev.drep.scanner.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.WorkUnit;
import dev.drep.core.git.LocalRepositories;
import dev.drep.core.git.RevisionRange;
import dev.drep.scanner.config.RepositoryConfiguration;
import dev.drep.testsupport.git.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;

class WorkPlannerLimitsTest {
    private static final PlanningRules RULES = new PlanningRules(path -> false, null, RepositoryConfiguration.DEFAULTS,
            WorkUnit.INTERACTIVE, false);

    @Test
    void theFilesOverTheJobsFileCapAreTheLastInPathOrderAndNamedWhateverOrderTheyWereWritten() throws Exception {
        Path dir = Files.createTempDirectory("planner-caps");
        String head;
        try (TestRepository repo = TestRepository.init(dir)) {
            head = repo.write("d.md", "d\n").write("b.md", "b\n").write("a.md", "a\n").write("c.md", "c\n")
                    .write("e.png", "not really a picture\n").commit("four files");
        }
        WorkPlanner planner = new WorkPlanner(1 << 20, 8, 20, 2, 1 << 20);
        try (Repository git = LocalRepositories.open(dir)) {
            PlannedWork first = planner.plan(git, new RevisionRange(null, head), RULES, "job", "repo", far());
            PlannedWork second = planner.plan(git, new RevisionRange(null, head), RULES, "job", "repo", far());

            assertThat(analysed(first)).containsExactly("a.md", "b.md");
            assertThat(first.notAnalyzed()).containsExactly(
                    new NotAnalyzed("c.md", "over the job's size limit (2 files / 1048576 bytes)"),
                    new NotAnalyzed("d.md", "over the job's size limit (2 files / 1048576 bytes)"),
                    new NotAnalyzed("e.png", "no analyzer for this file type"));
            assertThat(second).isEqualTo(first);
        }
    }

    @Test
    void theByteCapCutsAtTheFirstFileThatWouldPassItAndEveryLaterFileIsNamed() throws Exception {
        Path dir = Files.createTempDirectory("planner-bytes");
        String head;
        try (TestRepository repo = TestRepository.init(dir)) {
            head = repo.write("a.md", "a".repeat(40) + "\n").write("b.md", "b".repeat(40) + "\n")
                    .write("c.md", "c\n").commit("three files");
        }
        // a.md fits (41 bytes), b.md would make 82 > 60, and c.md, small as it is, comes after the cut
        WorkPlanner planner = new WorkPlanner(1 << 20, 8, 20, 100, 60);
        try (Repository git = LocalRepositories.open(dir)) {
            PlannedWork work = planner.plan(git, new RevisionRange(null, head), RULES, "job", "repo", far());

            assertThat(analysed(work)).containsExactly("a.md");
            assertThat(work.notAnalyzed()).extracting(NotAnalyzed::path).containsExactly("b.md", "c.md");
            assertThat(work.notAnalyzed()).extracting(NotAnalyzed::reason)
                    .containsOnly("over the job's size limit (100 files / 60 bytes)");
        }
    }

    @Test
    void unitsArePlannedWithoutContentsWhichAreReadUnitByUnitWhenSent() throws Exception {
        Path dir = Files.createTempDirectory("planner-contents");
        String head;
        try (TestRepository repo = TestRepository.init(dir)) {
            repo.write("x.md", "same text\n");
            for (int i = 0; i < 30; i++) {
                repo.write("docs/copy-" + i + ".md", "same text\n");
            }
            head = repo.commit("one blob under many paths");
        }
        WorkPlanner planner = new WorkPlanner(1 << 20, 8, 20, 1000, 1 << 20);
        List<WorkUnit> units;
        try (Repository git = LocalRepositories.open(dir)) {
            units = planner.plan(git, new RevisionRange(null, head), RULES, "job", "repo", far()).units();
        }
        assertThat(units).hasSize(4);
        assertThat(units).flatExtracting(WorkUnit::files).extracting(FileToAnalyze::content).containsOnlyNulls();

        try (UnitContents contents = new UnitContents(planner, () -> LocalRepositories.open(dir))) {
            WorkUnit filled = contents.fill(units.get(0));
            assertThat(filled.files()).hasSize(8).extracting(FileToAnalyze::content).containsOnly("same text\n");
            assertThat(filled.unitId()).isEqualTo(units.get(0).unitId());
        }
    }

    @Test
    void aPlanningPastItsDeadlineStopsWithTheLimitAndTheSettingNamed() throws Exception {
        Path dir = Files.createTempDirectory("planner-deadline");
        String head;
        try (TestRepository repo = TestRepository.init(dir)) {
            head = repo.write("a.md", "a\n").commit("one file");
        }
        WorkPlanner planner = new WorkPlanner(1 << 20, 8, 20, 100, 1 << 20);
        PlanningDeadline passed = PlanningDeadline.in(Duration.ofMillis(1));
        Thread.sleep(5);
        try (Repository git = LocalRepositories.open(dir)) {
            assertThatThrownBy(() -> planner.plan(git, new RevisionRange(null, head), RULES, "job", "repo", passed))
                    .isInstanceOf(PlanningDeadline.PlanningTimedOut.class)
                    .hasMessage("planning took longer than 0.001s (drep.scanner.job-limits.planning-timeout); "
                            + "split the change or raise the limit");
        }
    }

    private static PlanningDeadline far() {
        return PlanningDeadline.in(Duration.ofMinutes(5));
    }

    private static List<String> analysed(PlannedWork work) {
        return work.units().stream().flatMap(u -> u.files().stream()).map(FileToAnalyze::path).distinct().toList();
    }
}
