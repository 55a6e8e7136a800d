package dev.drep.publisher.platform;

import dev.drep.contracts.CommandReply.CommentPlace;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the publisher needs from a code-hosting platform. One implementation per platform
 * ({@code gitea}, {@code github}, {@code gitlab}), each holding all of that platform's HTTP and mapping
 * its answers to these results or to a {@link PlatformException}.
 *
 * <p>Methods are blocking and run on a worker thread. None of them retries on its own beyond waiting
 * out a short rate limit (see {@link PlatformHttp}); idempotency is the caller's business (markers and
 * the posting ledger).
 */
public interface ReviewPlatform {

    /** @return the platform name as in {@code PullRequestRef.platform} */
    String name();

    /** @return the longest body this platform accepts (configurable) */
    int maxBodyLength();

    /** @return how a suggested replacement line is written in a comment on this platform */
    SuggestionStyle suggestionStyle();

    /**
     * Posts inline comments on the head commit of the pull request: together as one review where the
     * platform has reviews, else one by one. A comment the platform rejects (e.g. its line is not part
     * of the diff) is reported as rejected and the others are still posted.
     *
     * @param target     the pull request
     * @param reviewBody the body of the review that carries the comments (where there is one)
     * @param comments   the comments, at least one
     * @param outcomes   told the outcome of each comment as soon as it is known, so the caller can
     *                   record it before the next request
     * @throws PlatformException when the platform is unavailable or refuses everything (auth)
     */
    void postInline(PlatformTarget target, String reviewBody, List<InlineComment> comments,
            Consumer<InlineOutcome> outcomes);

    /** @return the bodies of the inline (diff) comments on the pull request, to find drep's markers in */
    List<String> inlineCommentBodies(PlatformTarget target);

    /** @return the pull request's conversation comments (not diff comments), oldest first */
    List<PostedItem> comments(PlatformTarget target);

    /** Adds a conversation comment to the pull request. */
    PostedItem createComment(PlatformTarget target, String body);

    /**
     * Answers a comment of the pull request: in its thread where the platform has threads (a GitHub diff comment, a
     * GitLab discussion), else as a conversation comment.
     *
     * @param place the comment answered
     */
    default PostedItem reply(PlatformTarget target, CommentPlace place, String body) {
        return createComment(target, body);
    }

    /**
     * @return the bodies of every comment on the pull request a {@link #reply} may have created, to find drep's
     *     markers in
     */
    default List<String> replyBodies(PlatformTarget target) {
        List<String> bodies = new java.util.ArrayList<>();
        comments(target).forEach(comment -> bodies.add(comment.body()));
        return bodies;
    }

    /**
     * Marks drep's inline comment about a finding a later push fixed as resolved: GitHub resolves the comment's review
     * thread, GitLab its discussion; Gitea, which has no API for that, gets a conversation comment saying so, once
     * (looked for by {@code noteMarker} first). Doing it again changes nothing, so a post cut short may do it again.
     *
     * @param findingMarker the hidden marker drep's comment carries ({@code Markers.finding})
     * @param platformId    the id posting the comment recorded (GitLab: the discussion), or null when unknown
     * @param note          the comment saying the finding is fixed (Gitea), carrying {@code noteMarker}
     * @return false when drep's comment is no longer on the pull request (nothing to resolve)
     */
    boolean resolveInline(PlatformTarget target, String findingMarker, String platformId, String note,
            String noteMarker);

    /**
     * The first comment of the thread a reply was given in, to find which of drep's findings the reply is about
     * (docs/architecture.md, "Justified findings"): GitHub's diff comment {@code thread.commentId}, GitLab's discussion
     * {@code thread.discussionId}; Gitea's webhook does not name the thread, so there {@code thread.commentId} is the
     * reply and its thread is drep's diff comment on the same file and line.
     *
     * @return the thread's first comment's body, or empty when there is no such thread (or it is not on a diff line)
     */
    default Optional<String> threadStart(PlatformTarget target, CommentPlace thread) {
        return Optional.empty();
    }

    /** @return the pull request's description as it is now (empty for none) */
    String description(PlatformTarget target);

    /** Replaces the pull request's description (the whole of it: the caller keeps what is not drep's). */
    void setDescription(PlatformTarget target, String description);

    /** Replaces the body of a conversation comment; empty when the comment no longer exists. */
    Optional<PostedItem> editComment(PlatformTarget target, String id, String body);

    /**
     * Sets drep's commit status / check run on {@code sha}.
     *
     * @param existingId what an earlier call returned for the same job (a GitHub check run id), or null
     * @return an id to pass on the next call for the same job, or null when the platform needs none
     */
    String setStatus(PlatformTarget target, String sha, CommitState state, String description, String existingId);

    /** @return the repository's open issues */
    List<PostedItem> openIssues(PlatformTarget target);

    /** Opens an issue. */
    PostedItem createIssue(PlatformTarget target, String title, String body);

    /** Adds a comment to an issue ({@code id} is the issue number / iid as in {@link #openIssues}). */
    void commentOnIssue(PlatformTarget target, String id, String body);

    /** Closes an issue ({@code id} is the issue number / iid as in {@link #openIssues}). */
    void closeIssue(PlatformTarget target, String id);
}
