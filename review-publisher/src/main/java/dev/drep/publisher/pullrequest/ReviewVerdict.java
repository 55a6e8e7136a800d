package dev.drep.publisher.pullrequest;

import dev.drep.publisher.posting.FindingFingerprints;

import dev.drep.contracts.Finding;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.OnIncomplete;
import dev.drep.contracts.Review;
import dev.drep.contracts.Severity;
import dev.drep.publisher.platform.CommitState;
import dev.drep.publisher.posting.FindingFingerprints;
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
 *   <li><b>Incomplete → failure</b> (or neutral with {@code on-incomplete: neutral}; never success). The
 *       review is incomplete when a planned work unit sent no result, or when an <em>analyzer</em> reported a
 *       file (or part) as not analysed: its LLM budget or quota ran out (reasons such as
 *       {@code not analyzed: ...}), the provider failed, the analyzer crashed — in this push, or in an
 *       earlier one whose file was carried over since. Files the <em>scanner</em> skipped on purpose
 *       (binary, too large, not UTF-8, no analyzer for the type; they are the plan's {@code notAnalyzed})
 *       do not make a review incomplete: they are by design and listed in the summary. The description
 *       names the files. drep never shows a green check for a review it could not finish.</li>
 *   <li><b>Findings at or above {@code failOn} → failure</b>, counting inline and summary findings
 *       alike, whether or not they were posted inline — except inline findings justified on this pull request by a
 *       reply (the author or someone with write access explained why the code is right; docs/architecture.md,
 *       "Justified findings"). A 👎 does not lift a finding from the verdict: anyone who can read may give one.</li>
 *   <li>Otherwise <b>success</b>.</li>
 * </ol>
 *
 * @param state       success, failure or (incomplete, {@code on-incomplete: neutral}) neutral
 * @param description one line for the status / check run (at most 140 characters)
 * @param incomplete  true when the review could not be completed
 * @param notAnalysed the changed files an analyzer could not analyse (the next push analyses them again)
 */
public record ReviewVerdict(CommitState state, String description, boolean incomplete, List<String> notAnalysed) {
    private static final int MAX_DESCRIPTION = 140;

    public ReviewVerdict {
        notAnalysed = notAnalysed == null ? List.of() : List.copyOf(notAnalysed);
    }

    /** @return the verdict on a posted review with no justified findings */
    public static ReviewVerdict of(Publication publication) {
        return of(publication, Set.of());
    }

    /**
     * @param justified fingerprints of the inline findings justified on the pull request by a reply: not counted
     * @return the verdict on a posted review
     */
    public static ReviewVerdict of(Publication publication, Set<String> justified) {
        Review review = publication.review();
        Severity failOn = publication.settings().failOn();
        List<String> gaps = notAnalysed(publication.plan(), review);
        long missingUnits = publication.plan().unitIds().stream()
                .filter(id -> !publication.receivedUnitIds().contains(id)).distinct().count();
        if (!gaps.isEmpty() || missingUnits > 0) {
            StringBuilder d = new StringBuilder("incomplete review:");
            if (missingUnits > 0) {
                d.append(' ').append(missingUnits).append(missingUnits == 1 ? " work unit" : " work units")
                        .append(" sent no result");
            }
            if (!gaps.isEmpty()) {
                d.append(missingUnits > 0 ? "; " : " ").append(gaps.size()).append(gaps.size() == 1 ? " file" : " files")
                        .append(" could not be analysed: ").append(String.join(", ", gaps));
            }
            CommitState state = publication.settings().onIncomplete() == OnIncomplete.NEUTRAL ? CommitState.NEUTRAL
                    : CommitState.FAILURE;
            return new ReviewVerdict(state, cut(d.toString()), true, gaps);
        }
        long excused = FindingFingerprints.of(review.findings()).stream()
                .filter(f -> f.finding().severity().atLeast(failOn) && justified.contains(f.fingerprint())).count();
        long failing = Stream.concat(review.findings().stream(), review.summaryFindings().stream())
                .map(Finding::severity).filter(s -> s.atLeast(failOn)).count() - excused;
        String besides = excused == 0 ? "" : " (" + excused + " justified, not counted)";
        if (failing > 0) {
            return new ReviewVerdict(CommitState.FAILURE, cut(failing + (failing == 1 ? " finding" : " findings")
                    + " at or above " + failOn.label() + besides), false, List.of());
        }
        return new ReviewVerdict(CommitState.SUCCESS, cut("no findings at or above " + failOn.label() + besides), false,
                List.of());
    }

    /**
     * @return the files of the review an analyzer could not analyse, sorted, each once: what the review says was
     *         not analysed less what the scanner skipped on purpose (the plan's {@code notAnalyzed})
     */
    public static List<String> notAnalysed(JobPlan plan, Review review) {
        Set<NotAnalyzed> skippedByScanner = new HashSet<>(plan.notAnalyzed());
        return review.notAnalyzed().stream().filter(n -> !skippedByScanner.contains(n)).map(NotAnalyzed::path)
                .distinct().sorted().toList();
    }

    private static String cut(String text) {
        return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION - 1) + "…";
    }
}
