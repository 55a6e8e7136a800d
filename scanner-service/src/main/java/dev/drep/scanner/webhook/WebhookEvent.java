package dev.drep.scanner.webhook;

import dev.drep.contracts.CommandReply;

/** What a verified delivery asks drep to do. */
public sealed interface WebhookEvent {

    /**
     * Review a pull (merge) request at {@code headSha}.
     *
     * @param number  pull request number (GitLab: iid)
     * @param baseRef the target branch
     * @param baseSha the target branch tip the platform reported, or null (GitLab does not send it)
     * @param headSha the head commit
     */
    record Review(int number, String baseRef, String baseSha, String headSha, String author) implements WebhookEvent {
    }

    /**
     * Scan the default branch up to {@code headSha}.
     *
     * @param branch  the default branch
     * @param headSha the pushed commit
     */
    record Scan(String branch, String headSha) implements WebhookEvent {
    }

    /**
     * Nothing to do.
     *
     * @param reason for the platform's delivery log
     */
    record Ignored(String reason) implements WebhookEvent {
    }

    /**
     * A new comment on a pull (merge) request, which may give drep a command ({@code /drep review}).
     *
     * @param number       pull request number (GitLab: iid)
     * @param commentKey   the comment's identity on the platform, with its kind ({@code issue_comment:123},
     *                     {@code review_comment:456}, {@code note:789}): a command is answered once per key
     * @param place        where to answer (the comment, its thread)
     * @param author       the commenter's login
     * @param authorId     the commenter's numeric id (GitLab's member lookup needs it), or null
     * @param body         the comment's markdown
     * @param open         whether the pull request is open, or null when the payload does not say
     */
    record Comment(int number, String commentKey, CommandReply.CommentPlace place, String author,
            Long authorId, String body, Boolean open) implements WebhookEvent {
    }
}
