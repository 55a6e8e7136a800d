package dev.drep.launcher.review;

import dev.drep.contracts.JobView;
import java.io.PrintWriter;

/** One plain line whenever the job's status or unit counts change, for logs that are not a terminal. */
public final class ProgressLines implements ProgressListener {
    private final PrintWriter out;
    private String last;

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
    public void finish(JobView job) {
        update(job);
    }

    @Override
    public void abandon() {
        // every line is complete already
    }
}
