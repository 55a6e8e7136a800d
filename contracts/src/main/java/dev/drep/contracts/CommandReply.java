package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * drep's answer to a command given in a pull request comment ({@code /drep review}, ...), sent by the scanner to the
 * review-publisher ({@code PUT /internal/replies/{replyId}}), which posts it exactly once.
 *
 * @param replyId     the reply's id, derived from the repository and the comment, so a second request for the same
 *                    comment is the same reply
 * @param pullRequest where to post (the head commit is not used)
 * @param replyTo     where on the pull request the command was given, so the answer lands in the same thread
 * @param body        the answer, markdown written by drep (the command's own text is quoted as code)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommandReply(String replyId, PullRequestRef pullRequest, CommentPlace replyTo, String body) {

    /**
     * A comment on a pull request.
     *
     * @param kind         {@link #CONVERSATION} (GitHub and Gitea issue comments, GitLab notes outside a diff
     *                     discussion), {@link #REVIEW_COMMENT} (a GitHub comment on a diff line) or
     *                     {@link #DISCUSSION} (a GitLab note in a discussion)
     * @param commentId    the comment's id on the platform
     * @param discussionId GitLab's discussion id, else null
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CommentPlace(String kind, String commentId, String discussionId) {
        public static final String CONVERSATION = "conversation";
        public static final String REVIEW_COMMENT = "review-comment";
        public static final String DISCUSSION = "discussion";
    }
}
