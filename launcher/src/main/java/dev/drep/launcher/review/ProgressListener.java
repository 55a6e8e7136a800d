package dev.drep.launcher.review;

import dev.drep.contracts.JobView;
import java.io.PrintWriter;
import java.util.Locale;

/** Shows a running job's progress. */
public interface ProgressListener {
    /** Called after every look at the job, changed or not. */
    void update(JobView job);

    /** Called once with the job in its final status. */
    void finish(JobView job);

    /** Called when watching stops before the job is final, so that an error message starts on a line of its own. */
    void abandon();

    /**
     * @param terminal true when a person watches a terminal: a bar redrawn in place; otherwise one plain
     *                 line per change, which reads well in CI logs
     * @param out      where progress goes (stderr: stdout is kept for the review itself)
     */
    static ProgressListener create(boolean terminal, PrintWriter out) {
        return terminal ? new ProgressBar(out) : new ProgressLines(out);
    }

    /** @return {@code analyzing} for ANALYZING */
    static String label(JobView job) {
        return job.status() == null ? "waiting" : job.status().name().toLowerCase(Locale.ROOT);
    }
}
