package dev.drep.publisher.pullrequest;

import dev.drep.contracts.Finding;
import dev.drep.publisher.platform.SuggestionStyle;
import dev.drep.publisher.posting.Markdown;
import dev.drep.publisher.posting.Markers;
import java.util.Objects;

/** The markdown drep posts for one finding (inline comment or issue body). */
public final class CommentBodies {
    private CommentBodies() {
    }

    /**
     * Severity, rule and message, the suggested replacement of the finding's line (or lines
     * {@code line..endLine}) in the platform's style, and the finding's hidden marker (first, so that cutting a
     * long body never loses it).
     */
    public static String finding(Finding finding, String fingerprint, SuggestionStyle style) {
        StringBuilder md = new StringBuilder(Markers.finding(fingerprint)).append('\n');
        md.append("**").append(finding.severity().label()).append("** ").append(Markdown.code(finding.rule()))
                .append(": ").append(Objects.requireNonNullElse(finding.message(), "").strip()).append('\n');
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
}
