package dev.drep.publisher.pullrequest;

import dev.drep.contracts.Finding;
import dev.drep.contracts.Severity;
import java.util.List;

/**
 * What became of a review's inline findings on the pull request, for the summary comment.
 *
 * @param postedNow       commented on with this push's review
 * @param postedEarlier   already commented on by an earlier push (not posted again)
 * @param belowMinimum    findings below {@code minimumSeverity}: counted, not commented on
 * @param minimumSeverity the minimum severity applied
 * @param notPosted       findings that should have been inline but are not, each with why
 * @param folded          findings posted as part of another finding's comment (the same message on another line)
 * @param overReview      findings left out by the cap per review ({@code maxInline})
 * @param maxInline       the cap of inline comments per review
 * @param overFile        findings left out by the cap per file ({@code maxPerFile})
 * @param maxPerFile      the cap of inline comments per file
 */
public record InlineReport(int postedNow, int postedEarlier, int belowMinimum, Severity minimumSeverity,
        List<NotPosted> notPosted, int folded, int overReview, int maxInline, int overFile, int maxPerFile) {

    /**
     * An inline finding listed in the summary instead.
     *
     * @param finding the finding
     * @param reason  why it is not an inline comment
     */
    public record NotPosted(Finding finding, String reason) {
    }
}
