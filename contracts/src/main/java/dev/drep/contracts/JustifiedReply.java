package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A reply that explains why the code of one of drep's inline findings is right, given in the finding's thread by the
 * pull request's author or someone with write access, sent by the scanner to the review-publisher
 * ({@code PUT /internal/justifications/{replyKey}}), which finds drep's finding in that thread and records it
 * justified on the pull request.
 *
 * @param replyKey    the reply's identity on the platform with its kind ({@code review_comment:123}), so a redelivery
 *                    records nothing new
 * @param pullRequest the pull request (the revisions are not used)
 * @param thread      the thread replied in: a GitHub diff comment's first comment, a GitLab discussion, or for Gitea
 *                    the reply itself (Gitea's webhook does not name the thread; the publisher finds it by the
 *                    reply's file and line)
 * @param author      who replied (login / username)
 * @param reason      the reply's text, or the reason given after {@code /drep justified}; what the person wrote, kept
 *                    as data
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JustifiedReply(String replyKey, PullRequestRef pullRequest, CommandReply.CommentPlace thread, String author,
        String reason) {
}
