package dev.drep.launcher.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.JobStatus;
import dev.drep.contracts.JobView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final StringWriter console = new StringWriter();
    private final PrintWriter writer = new PrintWriter(console);

    private static JobView job(JobStatus status, int total, int done) {
        return new JobView("job-7", status, "repo", null, null, total, done, Map.of(), List.of(), null, null, null, null);
    }

    @Test
    void onATerminalABarIsRedrawnInPlace() {
        ProgressListener progress = ProgressListener.create(true, writer);

        progress.update(job(JobStatus.QUEUED, 0, 0));
        progress.update(job(JobStatus.ANALYZING, 4, 1));
        progress.finish(job(JobStatus.DONE, 4, 4));

        String expectedBar = "#".repeat(7) + "-".repeat(23); // 1 of 4 units in 30 columns
        assertThat(console.toString())
                .startsWith("\rqueued     [" + "-".repeat(30) + "] planning")
                .contains("\ranalyzing  [" + expectedBar + "] 1/4 units")
                .contains("\rdone       [" + "#".repeat(30) + "] 4/4 units")
                .endsWith(System.lineSeparator())
                .doesNotContain("job-7");
        assertThat(console.toString().chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void theBarIsNotRedrawnWhenNothingChanged() {
        ProgressListener progress = ProgressListener.create(true, writer);

        progress.update(job(JobStatus.ANALYZING, 4, 1));
        progress.update(job(JobStatus.ANALYZING, 4, 1));

        assertThat(console.toString().chars().filter(c -> c == '\r').count()).isEqualTo(1);
    }

    @Test
    void aShorterLineCoversTheLongerOneBeforeIt() {
        ProgressListener progress = ProgressListener.create(true, writer);

        progress.update(job(JobStatus.ANALYZING, 1000, 999));
        progress.update(job(JobStatus.ANALYZING, 4, 1));

        String[] frames = console.toString().split("\r");
        assertThat(frames[2].length()).isEqualTo(frames[1].length());
        assertThat(frames[2]).endsWith("1/4 units" + " ".repeat("999/1000".length() - "1/4".length()));
    }

    @Test
    void abandoningTheBarEndsItsLine() {
        ProgressListener progress = ProgressListener.create(true, writer);

        progress.update(job(JobStatus.ANALYZING, 4, 1));
        progress.abandon();

        assertThat(console.toString()).endsWith("1/4 units" + System.lineSeparator());
    }

    @Test
    void elsewherePlainLinesAppearOnlyWhenSomethingChanged() {
        ProgressListener progress = ProgressListener.create(false, writer);

        progress.update(job(JobStatus.QUEUED, 0, 0));
        progress.update(job(JobStatus.QUEUED, 0, 0));
        progress.update(job(JobStatus.ANALYZING, 3, 0));
        progress.update(job(JobStatus.ANALYZING, 3, 0));
        progress.update(job(JobStatus.ANALYZING, 3, 2));
        progress.finish(job(JobStatus.DONE, 3, 3));

        assertThat(console.toString().lines()).containsExactly(
                "drep: job job-7 queued",
                "drep: job job-7 analyzing, 0 of 3 units done",
                "drep: job job-7 analyzing, 2 of 3 units done",
                "drep: job job-7 done, 3 of 3 units done");
        assertThat(console.toString()).doesNotContain("\r");
    }

    @Test
    void aJobWithNothingToDoShowsAFullBar() {
        assertThat(ProgressBar.render(job(JobStatus.DONE, 0, 0))).isEqualTo("done       [" + "#".repeat(30) + "] no units");
    }
}
