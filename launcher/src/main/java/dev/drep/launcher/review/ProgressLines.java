package dev.drep.launcher.review;

import dev.drep.contracts.JobView;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;

/** One plain line whenever the job's status or unit counts change, for logs that are not a terminal. */
public final class ProgressLines implements ProgressListener {
    private final PrintWriter out;
    private String last;
    private long lastWaitLine = -1;

    public ProgressLines(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void update(JobView job) {
        String line = "drep: job " + job.id() + " " + ProgressListener.label(job)
                + (job.unitsTotal() > 0 ? ", " + job.unitsDone() + " of " + job.unitsTotal() + " units done" : "");
        if (!line.equals(last)) {
            out.println(line);
            out.flush();
            last = line;
        }
    }

    @Override
    public void waiting(URI scanner, Duration waited) {
        // a line when the wait starts and every 10 s: a log is not a terminal to redraw
        long seconds = waited.toSeconds();
        if (lastWaitLine < 0 || seconds - lastWaitLine >= 10) {
            out.println("drep: " + ProgressListener.waitingLine(scanner, waited));
            out.flush();
            lastWaitLine = seconds;
        }
    }

    @Override
    public void reconnected(URI scanner, Duration waited) {
        out.println("drep: the scanner at " + scanner + " is back after " + waited.toSeconds() + " s");
        out.flush();
        lastWaitLine = -1;
    }

    @Override
    public void finish(JobView job) {
        update(job);
    }

    @Override
    public void abandon() {
        // every line is complete already
    }
}
