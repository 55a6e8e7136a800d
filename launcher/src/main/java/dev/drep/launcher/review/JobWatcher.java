package dev.drep.launcher.review;

import dev.drep.contracts.JobView;
import dev.drep.launcher.LauncherException;
import java.time.Duration;

/**
 * Polls a job until it reaches a final status, showing progress on the way. A scanner that does not answer
 * (restarting under {@code drep up}'s supervisor or Kubernetes, or answering 5xx while it starts) is waited
 * for, up to the patience, saying so on the console: the job goes on without the launcher watching it.
 */
public final class JobWatcher {
    private final ScannerClient client;
    private final Duration interval;
    private final Duration patience;

    /**
     * @param interval how often to look at the job
     * @param patience how long the scanner may stay unreachable before watching gives up
     */
    public JobWatcher(ScannerClient client, Duration interval, Duration patience) {
        this.client = client;
        this.interval = interval;
        this.patience = patience;
    }

    /**
     * @return the job in its final status (DONE or FAILED)
     * @throws LauncherException when the job is not final after {@code timeout}, the scanner refuses (4xx), or it
     *                           stays unreachable for longer than the patience
     */
    public JobView await(String jobId, Duration timeout, ProgressListener progress)
            throws LauncherException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobView last = null;
        long unreachableSince = 0;
        boolean unreachable = false;
        while (true) {
            try {
                last = client.job(jobId);
                if (unreachable) {
                    progress.reconnected(client.baseUrl(), elapsed(unreachableSince));
                    unreachable = false;
                }
                if (last.status() != null && last.status().isFinal()) {
                    progress.finish(last);
                    return last;
                }
                progress.update(last);
            } catch (ApiException e) {
                // a 4xx (unknown job) will not get better by asking again
                if (e.status() >= 400 && e.status() < 500) {
                    progress.abandon();
                    throw e;
                }
                if (!unreachable) {
                    unreachable = true;
                    unreachableSince = System.nanoTime();
                }
                Duration waited = elapsed(unreachableSince);
                if (waited.compareTo(patience) > 0) {
                    progress.abandon();
                    throw new LauncherException("The scanner at " + client.baseUrl() + " did not come back within "
                            + patience.toSeconds() + " s (" + e.getMessage() + "). The review job " + jobId
                            + " may still finish on the server: look at it with GET " + client.baseUrl()
                            + "/api/jobs/" + jobId + ", or allow more time with --patience SECONDS.", e);
                }
                progress.waiting(client.baseUrl(), waited);
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

    private static Duration elapsed(long since) {
        return Duration.ofNanos(System.nanoTime() - since);
    }
}
