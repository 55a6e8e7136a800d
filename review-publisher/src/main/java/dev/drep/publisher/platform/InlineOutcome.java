package dev.drep.publisher.platform;

/**
 * What became of one inline comment.
 *
 * @param comment    the comment
 * @param platformId the platform's id of the comment (or of the review carrying it) when posted, else null
 * @param url        a link to it when the platform gives one, else null
 * @param rejection  why the platform refused it, or null when it was posted
 */
public record InlineOutcome(InlineComment comment, String platformId, String url, String rejection) {

    /** @return a posted outcome */
    public static InlineOutcome posted(InlineComment comment, String platformId, String url) {
        return new InlineOutcome(comment, platformId, url, null);
    }

    /** @return a rejected outcome */
    public static InlineOutcome rejected(InlineComment comment, String reason) {
        return new InlineOutcome(comment, null, null, reason);
    }

    /** @return true when the platform refused the comment */
    public boolean isRejected() {
        return rejection != null;
    }
}
