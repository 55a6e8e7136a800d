package dev.drep.publisher.pullrequest;

import dev.drep.contracts.Finding;
import dev.drep.publisher.platform.SuggestionStyle;
import dev.drep.publisher.posting.Markdown;
import dev.drep.publisher.posting.Markers;
import java.util.List;
import java.util.Objects;

/**
 * The markdown drep posts for one finding (inline comment or issue body). The finding's message must already be
 * safe to post ({@link dev.drep.publisher.posting.PostedText#finding}): complete markdown blocks that cannot reach
 * into what this class writes around them.
 */
public final class CommentBodies {
    private CommentBodies() {
    }

    /** A finding alone: see {@link #finding(Finding, String, SuggestionStyle, List)}. */
    public static String finding(Finding finding, String fingerprint, SuggestionStyle style) {
        return finding(finding, fingerprint, style, List.of());
    }

    /**
     * Severity, rule and message, the other findings of the file with the same message (by line), the suggested
     * replacement of the finding's line (or lines {@code line..endLine}) in the platform's style, and the hidden
     * markers of the finding and of the others (first, so that cutting a long body never loses them). A message of
     * one line follows the rule on its line; a longer one starts a block of its own.
     *
     * @param sameMessage findings with the same rule and message on other lines of the file, posted as part of this
     *                    comment instead of repeated
     */
    public static String finding(Finding finding, String fingerprint, SuggestionStyle style,
            List<Same> sameMessage) {
        StringBuilder md = new StringBuilder(Markers.finding(fingerprint)).append('\n');
        for (Same same : sameMessage) {
            md.append(Markers.finding(same.fingerprint())).append('\n');
        }
        String message = Objects.requireNonNullElse(finding.message(), "").strip();
        md.append("**").append(finding.severity().label()).append("** ").append(Markdown.code(finding.rule()))
                .append(message.contains("\n") ? ":\n\n" : ": ").append(message).append('\n');
        if (!sameMessage.isEmpty()) {
            md.append("\nThe same on ").append(sameMessage.size() == 1 ? "line " : "lines ");
            for (int i = 0; i < sameMessage.size(); i++) {
                md.append(i == 0 ? "" : i == sameMessage.size() - 1 ? " and " : ", ")
                        .append(sameMessage.get(i).finding().location().substring(finding.path().length() + 1));
            }
            md.append(" of this file (one comment instead of ").append(sameMessage.size() + 1).append(").\n");
        }
        if (finding.suggestion() != null) {
            String fence = Markdown.fenceFor(finding.suggestion());
            switch (style) {
                case GITHUB -> md.append('\n').append(fence).append("suggestion\n");
                case GITLAB -> md.append('\n').append(fence).append("suggestion:-0+")
                        .append(finding.endLine() - finding.line()).append('\n');
                case PLAIN -> md.append(finding.multiLine()
                        ? "\nSuggested replacement of lines " + finding.line() + "-" + finding.endLine() + ":\n\n"
                        : "\nSuggested replacement:\n\n").append(fence).append('\n');
            }
            md.append(finding.suggestion()).append('\n').append(fence).append('\n');
        }
        return md.toString();
    }

    /**
     * Another finding folded into a comment.
     *
     * @param finding     the finding (on a line of the same file)
     * @param fingerprint its fingerprint, whose marker the comment carries
     */
    public record Same(Finding finding, String fingerprint) {
    }
}
