package dev.drep.launcher.review;

import dev.drep.contracts.Finding;
import dev.drep.contracts.Review;
import dev.drep.contracts.Severity;
import dev.drep.launcher.ExitCodes;
import java.util.Map;

/** Decides the exit code of a finished review from its findings and the {@code --fail-on} threshold. */
public final class Verdict {
    private Verdict() {
    }

    /**
     * @return how many findings are at or above {@code threshold}. The larger of the inline findings and
     *         the review's counts, so that a finding counted but not shown inline still blocks.
     */
    public static long blocking(Review review, Severity threshold) {
        long inline = review.findings().stream().map(Finding::severity).filter(s -> s.atLeast(threshold)).count();
        long counted = review.counts().entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().atLeast(threshold))
                .map(Map.Entry::getValue)
                .mapToLong(count -> count == null ? 0 : count)
                .sum();
        return Math.max(inline, counted);
    }

    /** @return {@link ExitCodes#FINDINGS} when something is at or above the threshold, else {@link ExitCodes#OK} */
    public static int exitCode(Review review, Severity threshold) {
        return blocking(review, threshold) > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
}
