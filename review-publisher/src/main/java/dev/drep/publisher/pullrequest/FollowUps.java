package dev.drep.publisher.pullrequest;

import dev.drep.contracts.Finding;
import java.util.List;

/**
 * What became of the inline findings of earlier pushes, for the summary comment.
 *
 * @param resolved every comment of drep's on this pull request marked resolved because a later push fixed its finding
 * @param open     findings commented on by an earlier push that this push still finds (their text made safe), not
 *                 justified
 * @param justified findings justified on this pull request by a reply, or rejected by a 👎 ({@link Justified#rejected})
 */
public record FollowUps(List<Resolved> resolved, List<Finding> open, List<Justified> justified) {

    /** Nothing resolved, nothing open from earlier pushes. */
    public static final FollowUps NONE = new FollowUps(List.of(), List.of());

    /** Resolved and open findings, none justified. */
    public FollowUps(List<Resolved> resolved, List<Finding> open) {
        this(resolved, open, List.of());
    }

    /**
     * A finding justified on this pull request: a reply in its thread explained why the code is right, so it is not
     * raised again here (docs/architecture.md, "Justified findings").
     *
     * @param location the finding's {@code path:line}, or its file when this push does not find it
     * @param rule     its rule, or null
     * @param author   who justified it
     * @param url      drep's comment, or null
     * @param rejected true when it was a 👎 on drep's comment rather than a reply: listed as rejected, not justified
     */
    public record Justified(String location, String rule, String author, String url, boolean rejected) {
        /** A finding justified by a reply. */
        public Justified(String location, String rule, String author, String url) {
            this(location, rule, author, url, false);
        }
    }

    /**
     * A resolved comment.
     *
     * @param path   the finding's file
     * @param url    the comment's link, or null
     * @param detail how it was resolved ("fixed in &lt;head&gt;")
     */
    public record Resolved(String path, String url, String detail) {
    }
}
