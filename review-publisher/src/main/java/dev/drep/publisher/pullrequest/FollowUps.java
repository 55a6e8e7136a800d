package dev.drep.publisher.pullrequest;

import dev.drep.contracts.Finding;
import java.util.List;

/**
 * What became of the inline findings of earlier pushes, for the summary comment.
 *
 * @param resolved every comment of drep's on this pull request marked resolved because a later push fixed its finding
 * @param open     findings commented on by an earlier push that this push still finds (their text made safe)
 */
public record FollowUps(List<Resolved> resolved, List<Finding> open) {

    /** Nothing resolved, nothing open from earlier pushes. */
    public static final FollowUps NONE = new FollowUps(List.of(), List.of());

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
