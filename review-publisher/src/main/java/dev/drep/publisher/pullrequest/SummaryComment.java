package dev.drep.publisher.pullrequest;

import dev.drep.contracts.Finding;
import dev.drep.publisher.posting.BodyLimit;
import dev.drep.publisher.posting.Markdown;
import dev.drep.publisher.posting.Markers;
import dev.drep.publisher.posting.PostedText;
import java.util.List;
import java.util.Locale;

/**
 * The body of drep's one summary comment per pull request: the hidden marker, the review's own summary
 * (counts, notes, files not analysed, findings outside the changed lines), what became of the inline
 * comments, the inline findings that could not be posted and why, and the status verdict.
 */
public final class SummaryComment {
    /** Files named in the status section at most (it is never cut, so it stays short). */
    private static final int MAX_NAMED = 20;
    private SummaryComment() {
    }

    /**
     * @param reviewSummary the review's own summary, with what analyzers wrote made safe ({@link PostedText#summary})
     * @param text          makes the messages of the findings listed here safe
     * @return the body, cut with a note when it would exceed {@code limit}
     */
    public static String render(String reviewSummary, InlineReport inline, FollowUps followUps, ReviewVerdict verdict,
            String headSha, int limit, PostedText text) {
        StringBuilder md = new StringBuilder(Markers.SUMMARY).append('\n');
        md.append(reviewSummary == null || reviewSummary.isBlank() ? "## drep review\n" : reviewSummary.strip() + "\n");

        md.append("\n### Inline comments\n\n");
        md.append("- new on this push: ").append(inline.postedNow()).append('\n');
        md.append("- already commented on by an earlier push (not repeated): ").append(inline.postedEarlier()).append('\n');
        if (inline.belowMinimum() > 0) {
            md.append("- below the minimum severity ").append(Markdown.code(inline.minimumSeverity().label()))
                    .append(" (counted above, not commented on): ").append(inline.belowMinimum()).append('\n');
        }
        if (inline.folded() > 0) {
            md.append("- the same message on other lines of a file, listed in one comment instead of repeated: ")
                    .append(inline.folded()).append('\n');
        }
        if (inline.overReview() > 0) {
            md.append("- over the limit of ").append(inline.maxInline())
                    .append(" inline comments per review (listed below, most severe were posted): ")
                    .append(inline.overReview()).append('\n');
        }
        if (inline.overFile() > 0) {
            md.append("- over the limit of ").append(inline.maxPerFile())
                    .append(" inline comments per file (listed below): ").append(inline.overFile()).append('\n');
        }

        if (!inline.notPosted().isEmpty()) {
            md.append("\n### Not posted inline\n\n");
            for (InlineReport.NotPosted item : inline.notPosted()) {
                Finding f = item.finding();
                md.append("- ").append(Markdown.code(f.location())).append(" **")
                        .append(f.severity().label()).append("** ").append(Markdown.code(f.rule())).append(": ")
                        .append(text.line(f.message())).append(" (").append(Markdown.oneLine(item.reason()))
                        .append(")\n");
            }
        }

        if (!followUps.resolved().isEmpty() || !followUps.open().isEmpty() || !followUps.justified().isEmpty()) {
            md.append("\n### Follow-ups\n\n");
            md.append("- resolved (a later push fixed them): ").append(followUps.resolved().size()).append('\n');
            md.append("- still open from earlier pushes: ").append(followUps.open().size()).append('\n');
            long rejected = followUps.justified().stream().filter(FollowUps.Justified::rejected).count();
            long justified = followUps.justified().size() - rejected;
            if (justified > 0) {
                md.append("- justified (a reply explained why the code is right; not raised again on this pull request): ")
                        .append(justified).append('\n');
            }
            if (rejected > 0) {
                md.append("- rejected (a 👎 on drep's comment; not raised again on this pull request): ")
                        .append(rejected).append('\n');
            }
            int named = 0;
            for (FollowUps.Resolved r : followUps.resolved()) {
                if (named++ == MAX_NAMED) {
                    break;
                }
                md.append("- resolved: ").append(Markdown.code(r.path()));
                if (r.url() != null) {
                    md.append(" ([comment](").append(r.url()).append("))");
                }
                md.append(", ").append(Markdown.oneLine(r.detail())).append('\n');
            }
            named = 0;
            for (Finding f : followUps.open()) {
                if (named++ == MAX_NAMED) {
                    break;
                }
                md.append("- open: ").append(Markdown.code(f.location())).append(" **").append(f.severity().label())
                        .append("** ").append(Markdown.code(f.rule())).append(": ").append(text.line(f.message()))
                        .append('\n');
            }
            named = 0;
            for (FollowUps.Justified j : followUps.justified()) {
                if (named++ == MAX_NAMED) {
                    break;
                }
                md.append(j.rejected() ? "- rejected: " : "- justified: ").append(Markdown.code(j.location()));
                if (j.rule() != null) {
                    md.append(' ').append(Markdown.code(j.rule()));
                }
                md.append(j.rejected() ? ", 👎 by " : ", by ").append(Markdown.code(j.author()));
                if (j.url() != null) {
                    md.append(" ([comment](").append(j.url()).append("))");
                }
                md.append('\n');
            }
        }

        // the verdict and the footer are kept whole; a cut takes from the lists above them
        String tail = "\n### Status\n\n**" + verdict.state().name().toLowerCase(Locale.ROOT) + "**: "
                + verdict.description() + "\n" + retried(verdict) + "\n---\n<sub>drep edits this comment on every push. Reviewed head "
                + Markdown.code(shortSha(headSha)) + ".</sub>\n";
        return BodyLimit.fit(md.toString(), limit - tail.length()) + tail;
    }

    /** The files not analysed, which the next push analyses again (the first few: the list above has them all). */
    private static String retried(ReviewVerdict verdict) {
        List<String> files = verdict.notAnalysed();
        if (files.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\nNot analysed, so the check is not success; every push analyses ")
                .append(files.size() == 1 ? "it" : "them").append(" again until it succeeds: ");
        int shown = Math.min(files.size(), MAX_NAMED);
        for (int i = 0; i < shown; i++) {
            md.append(i == 0 ? "" : ", ").append(Markdown.code(files.get(i)));
        }
        if (files.size() > shown) {
            md.append(" and ").append(files.size() - shown).append(" more");
        }
        return md.append(".\n").toString();
    }

    private static String shortSha(String sha) {
        return sha == null ? "(unknown)" : sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
