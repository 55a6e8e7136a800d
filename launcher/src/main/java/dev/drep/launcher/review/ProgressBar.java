package dev.drep.launcher.review;

import dev.drep.contracts.JobView;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/** A progress bar redrawn in place with a carriage return, for a terminal. */
public final class ProgressBar implements ProgressListener {
    static final int WIDTH = 30;

    private final PrintWriter out;
    private String last = "";

    public ProgressBar(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void update(JobView job) {
        draw(render(job));
    }

    private void draw(String line) {
        if (!line.equals(last)) {
            // pad with spaces: a shorter line must cover all of the previous one
            out.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
            out.flush();
            last = line;
        }
    }

    @Override
    public void waiting(URI scanner, Duration waited) {
        draw(ProgressListener.waitingLine(scanner, waited));
    }

    @Override
    public void reconnected(URI scanner, Duration waited) {
        // the next update redraws the bar over the waiting line
    }

    @Override
    public void finish(JobView job) {
        update(job);
        out.println();
        out.flush();
    }

    @Override
    public void abandon() {
        if (!last.isEmpty()) {
            out.println();
            out.flush();
            last = "";
        }
    }

    /** @return e.g. {@code analyzing  [##########--------------------]  12/36 units} */
    static String render(JobView job) {
        int total = Math.max(job.unitsTotal(), 0);
        int done = Math.min(Math.max(job.unitsDone(), 0), total);
        int filled = total == 0 ? (job.status() != null && job.status().isFinal() ? WIDTH : 0) : done * WIDTH / total;
        String units = total == 0 ? (job.status() != null && job.status().isFinal() ? "no units" : "planning")
                : done + "/" + total + " units";
        return String.format(Locale.ROOT, "%-10s [%s%s] %s", ProgressListener.label(job),
                "#".repeat(filled), "-".repeat(WIDTH - filled), units);
    }
}
