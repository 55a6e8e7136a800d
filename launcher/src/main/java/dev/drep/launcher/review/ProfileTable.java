package dev.drep.launcher.review;

import dev.drep.contracts.JobProfile;
import dev.drep.contracts.StageTime;
import dev.drep.contracts.UnitUsage;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.Locale;

/**
 * {@code drep review --profile}: where the job's wall time went, stage by stage, with each stage's share of
 * the wall time (the measured "bottleneck hierarchy"), its busy time summed over the job's parallel work, and
 * the LLM calls, tokens and cost.
 */
public final class ProfileTable {
    private static final int BAR_WIDTH = 20;

    private ProfileTable() {
    }

    /**
     * @param out     where to print
     * @param jobId   the job
     * @param profile its profile (null when the scanner sent none)
     */
    public static void print(PrintWriter out, String jobId, JobProfile profile) {
        if (profile == null) {
            out.println("No profile was reported for job " + jobId + ".");
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "Profile of job %s: %s wall time%n", jobId, seconds(profile.wallMillis()));
        out.printf(Locale.ROOT, "%-28s %10s %7s  %-" + BAR_WIDTH + "s %12s%n", "stage", "wall", "share", "", "busy");
        profile.stages().stream()
                .sorted(Comparator.comparingLong(StageTime::wallMillis).reversed())
                .forEach(t -> out.printf(Locale.ROOT, "%-28s %10s %6.1f%%  %-" + BAR_WIDTH + "s %12s%n",
                        t.stage().label(), seconds(t.wallMillis()), 100 * t.share(), bar(t.share()),
                        seconds(t.busyMillis())));
        double unaccounted = profile.wallMillis() == 0 ? 0 : (double) profile.unaccountedMillis() / profile.wallMillis();
        out.printf(Locale.ROOT, "%-28s %10s %6.1f%%%n", "not accounted for", seconds(profile.unaccountedMillis()),
                100 * unaccounted);
        UnitUsage usage = profile.usage();
        out.printf(Locale.ROOT, "LLM: %d %s (%d from cache), %,d prompt + %,d completion tokens, cost %.4f%n",
                usage.llmCalls(), usage.llmCalls() == 1 ? "call" : "calls", usage.cacheHits(), usage.promptTokens(),
                usage.completionTokens(), usage.cost());
        out.println("wall: each instant counted once, for the costliest stage active then; busy: summed over units "
                + "running in parallel");
        out.flush();
    }

    private static String bar(double share) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, share)) * BAR_WIDTH);
        return "#".repeat(filled);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f s", millis / 1000.0);
    }
}
