package dev.drep.launcher.review;

import dev.drep.contracts.JobView;
import dev.drep.launcher.LauncherException;
import java.time.Duration;

/** Polls a job until it reaches a final status, showing progress on the way. */
public final class JobWatcher {
    // a scanner that restarts (drep up supervises it) is briefly unreachable; more failures in a row are real
    private static final int MAX_CONSECUTIVE_FAILURES = 5;

    private final ScannerClient client;
    private final Duration interval;

    public JobWatcher(ScannerClient client, Duration interval) {
        this.client = client;
        this.interval = interval;
    }

    /**
     * @return the job in its final status (DONE or FAILED)
     * @throws LauncherException when the job is not final after {@code timeout}, or the scanner keeps failing
     */
    public JobView await(String jobId, Duration timeout, ProgressListener progress)
            throws LauncherException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobView last = null;
        int failures = 0;
        while (true) {
            try {
                last = client.job(jobId);
                failures = 0;
                if (last.status() != null && last.status().isFinal()) {
                    progress.finish(last);
                    return last;
                }
                progress.update(last);
            } catch (ApiException e) {
                // a 4xx (unknown job) will not get better by asking again
                if (e.status() >= 400 && e.status() < 500 || ++failures >= MAX_CONSECUTIVE_FAILURES) {
                    progress.abandon();
                    throw e;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                String where = last == null ? "" : " (it is " + ProgressListener.label(last)
                        + (last.unitsTotal() > 0 ? ", " + last.unitsDone() + " of " + last.unitsTotal() + " units done" : "")
                        + ")";
                progress.abandon();
                throw new LauncherException("The review job " + jobId + " did not finish within " + timeout.toSeconds()
                        + " s" + where + ". Allow more time with --timeout SECONDS, or look at the services' logs.");
            }
            Thread.sleep(interval.toMillis());
        }
    }
}
