package dev.drep.launcher.review;

import dev.drep.contracts.JobView;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/** Shows a running job's progress. */
public interface ProgressListener {
    /** Called after every look at the job, changed or not. */
    void update(JobView job);

    /** Called once with the job in its final status. */
    void finish(JobView job);

    /**
     * Called on every look at the job while the scanner does not answer.
     *
     * @param scanner the scanner's base URL
     * @param waited  how long it has not answered
     */
    void waiting(URI scanner, Duration waited);

    /** Called once when the scanner answers again after {@link #waiting}. */
    void reconnected(URI scanner, Duration waited);

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

    /** @return e.g. {@code waiting for the scanner at http://127.0.0.1:8081 to come back (12 s)} */
    static String waitingLine(URI scanner, Duration waited) {
        return "waiting for the scanner at " + scanner + " to come back (" + waited.toSeconds() + " s)";
    }

    /** @return {@code analyzing} for ANALYZING */
    static String label(JobView job) {
        return job.status() == null ? "waiting" : job.status().name().toLowerCase(Locale.ROOT);
    }
}
