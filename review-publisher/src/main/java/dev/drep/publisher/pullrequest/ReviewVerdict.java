package dev.drep.publisher.pullrequest;

import dev.drep.contracts.Finding;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Review;
import dev.drep.contracts.Severity;
import dev.drep.publisher.platform.CommitState;
import dev.drep.publisher.posting.Publication;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The status drep sets on the head commit once a review is posted.
 *
 * <p>The rule, in order:
 * <ol>
 *   <li><b>Incomplete → failure.</b> The review is incomplete when a planned work unit sent no result,
 *       or when an <em>analyzer</em> reported a file (or part) as not analysed: its LLM budget or quota
 *       ran out (reasons such as {@code not analyzed: ...}), the provider failed, the analyzer crashed.
 *       Files the <em>scanner</em> skipped on purpose (binary, too large, not UTF-8, no analyzer for the
 *       type; they are the plan's {@code notAnalyzed}) do not make a review incomplete: they are by
 *       design and listed in the summary. drep never shows a green check for a review it could not
 *       finish.</li>
 *   <li><b>Findings at or above {@code failOn} → failure</b>, counting inline and summary findings
 *       alike, whether or not they were posted inline.</li>
 *   <li>Otherwise <b>success</b>.</li>
 * </ol>
 *
 * @param state       success or failure
 * @param description one line for the status / check run (at most 140 characters)
 * @param incomplete  true when the review could not be completed
 */
public record ReviewVerdict(CommitState state, String description, boolean incomplete) {
    private static final int MAX_DESCRIPTION = 140;

    /** @return the verdict on a posted review */
    public static ReviewVerdict of(Publication publication) {
        Review review = publication.review();
        Severity failOn = publication.settings().failOn();
        Set<NotAnalyzed> skippedByScanner = new HashSet<>(publication.plan().notAnalyzed());
        List<NotAnalyzed> gaps = review.notAnalyzed().stream().filter(n -> !skippedByScanner.contains(n)).toList();
        long missingUnits = publication.plan().unitIds().stream()
                .filter(id -> !publication.receivedUnitIds().contains(id)).distinct().count();
        if (!gaps.isEmpty() || missingUnits > 0) {
            StringBuilder d = new StringBuilder("incomplete review:");
            if (!gaps.isEmpty()) {
                long files = gaps.stream().map(NotAnalyzed::path).distinct().count();
                d.append(' ').append(files).append(files == 1 ? " file" : " files").append(" could not be analysed");
            }
            if (missingUnits > 0) {
                d.append(gaps.isEmpty() ? " " : "; ").append(missingUnits)
                        .append(missingUnits == 1 ? " work unit" : " work units").append(" sent no result");
            }
            return new ReviewVerdict(CommitState.FAILURE, cut(d.toString()), true);
        }
        long failing = Stream.concat(review.findings().stream(), review.summaryFindings().stream())
                .map(Finding::severity).filter(s -> s.atLeast(failOn)).count();
        if (failing > 0) {
            return new ReviewVerdict(CommitState.FAILURE, cut(failing + (failing == 1 ? " finding" : " findings")
                    + " at or above " + failOn.label()), false);
        }
        return new ReviewVerdict(CommitState.SUCCESS, cut("no findings at or above " + failOn.label()), false);
    }

    private static String cut(String text) {
        return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION - 1) + "…";
    }
}
