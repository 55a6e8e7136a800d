package dev.drep.scanner.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.contracts.CommandReply;
import dev.drep.core.platform.Platform;
import dev.drep.scanner.api.ApiError;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the documented payload shapes of each platform: which repository a delivery is about, and
 * whether it asks for a review (pull request opened, synchronized or reopened; GitLab merge request
 * opened, reopened or updated with new commits), a scan (push to the default branch), a new comment on a pull
 * request (GitHub {@code issue_comment} and {@code pull_request_review_comment}, Gitea {@code issue_comment}, GitLab
 * note events on merge requests), or nothing.
 */
final class WebhookPayloads {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");
    private static final Set<String> REVIEW_ACTIONS = Set.of("opened", "synchronize", "synchronized", "reopened");

    private WebhookPayloads() {
    }

    /** @return the header naming the event */
    static String eventHeader(Platform platform) {
        return switch (platform) {
            case GITEA -> "X-Gitea-Event";
            case GITHUB -> "X-GitHub-Event";
            case GITLAB -> "X-Gitlab-Event";
        };
    }

    /** @return the repository's full name (GitLab: project path), or null when the payload names none */
    static String repositoryName(Platform platform, JsonNode payload) {
        return platform == Platform.GITLAB ? text(payload.path("project"), "path_with_namespace")
                : text(payload.path("repository"), "full_name");
    }

    /**
     * @param event                the event header's value, or null
     * @param registeredBranch     the default branch of the registration, used when the payload names none
     */
    static WebhookEvent classify(Platform platform, String event, JsonNode payload, String registeredBranch) {
        return platform == Platform.GITLAB ? gitlab(event, payload, registeredBranch)
                : githubOrGitea(platform, event, payload, registeredBranch);
    }

    private static WebhookEvent githubOrGitea(Platform platform, String event, JsonNode payload, String registeredBranch) {
        String name = event == null ? "" : event.trim();
        if (platform == Platform.GITEA && name.equals("pull_request_sync")) {
            // Gitea names the push to a pull request so in X-Gitea-Event-Type, and some versions in X-Gitea-Event
            name = "pull_request";
        }
        switch (name) {
            case "ping":
                return new WebhookEvent.Ignored("ping acknowledged");
            case "pull_request": {
                JsonNode pr = payload.path("pull_request");
                int number = payload.path("number").canConvertToInt() && payload.path("number").asInt() > 0
                        ? payload.path("number").asInt() : pr.path("number").asInt(0);
                if (number <= 0) {
                    throw ApiError.badRequest("payload field 'number' is missing: not a " + platform.id() + " pull_request event");
                }
                String action = text(payload, "action");
                if ("closed".equals(action) || "closed".equals(text(pr, "state"))) {
                    return new WebhookEvent.Ignored("pull request #" + number + " is closed"
                            + (pr.path("merged").asBoolean(false) ? " (merged)" : "") + ": nothing to review");
                }
                if (action == null || !REVIEW_ACTIONS.contains(action)) {
                    return new WebhookEvent.Ignored("pull request action '" + action + "' needs no review");
                }
                return new WebhookEvent.Review(number, required(pr.path("base"), "ref", "pull_request.base.ref"),
                        commit(pr.path("base"), "sha", "pull_request.base.sha", true),
                        commit(pr.path("head"), "sha", "pull_request.head.sha", false),
                        text(pr.path("user"), "login"));
            }
            case "push":
                return push(text(payload, "ref"), text(payload, "after"),
                        defaultBranch(text(payload.path("repository"), "default_branch"), registeredBranch));
            case "issue_comment", "pull_request_comment":
                return issueComment(platform, payload);
            case "pull_request_review_comment":
                return platform == Platform.GITHUB ? reviewComment(payload)
                        : new WebhookEvent.Ignored("event '" + name + "' is not one drep acts on");
            default:
                return new WebhookEvent.Ignored("event '" + name + "' is not one drep acts on");
        }
    }

    /** GitHub's and Gitea's {@code issue_comment}: on an issue or, with {@code issue.pull_request}, a pull request. */
    private static WebhookEvent issueComment(Platform platform, JsonNode payload) {
        JsonNode issue = payload.path("issue");
        boolean pullRequest = (issue.hasNonNull("pull_request") && issue.path("pull_request").isObject())
                || payload.path("is_pull").asBoolean(false);
        if (!pullRequest) {
            return new WebhookEvent.Ignored("a comment on an issue, not on a pull request: no command");
        }
        int number = issue.path("number").asInt(0);
        if (number <= 0) {
            throw ApiError.badRequest("payload field 'issue.number' is missing: not a " + platform.id() + " issue_comment event");
        }
        return comment(payload, number, "issue_comment", text(issue, "state"), null);
    }

    /** GitHub's {@code pull_request_review_comment}: a comment on a line of the diff, answered in its thread. */
    private static WebhookEvent reviewComment(JsonNode payload) {
        JsonNode pr = payload.path("pull_request");
        int number = pr.path("number").asInt(0);
        if (number <= 0) {
            throw ApiError.badRequest("payload field 'pull_request.number' is missing: not a GitHub "
                    + "pull_request_review_comment event");
        }
        JsonNode comment = payload.path("comment");
        // replies go to the thread's first comment (GitHub refuses a reply to a reply)
        String top = comment.path("in_reply_to_id").canConvertToLong() ? comment.path("in_reply_to_id").asText()
                : comment.path("id").asText();
        return comment(payload, number, "review_comment", text(pr, "state"),
                new CommandReply.CommentPlace(CommandReply.CommentPlace.REVIEW_COMMENT, top, null));
    }

    private static WebhookEvent comment(JsonNode payload, int number, String kind, String state,
            CommandReply.CommentPlace place) {
        String action = text(payload, "action");
        if (!"created".equals(action)) {
            return new WebhookEvent.Ignored("comment " + action + ": only new comments give drep commands");
        }
        JsonNode comment = payload.path("comment");
        JsonNode user = comment.path("user");
        if (!comment.path("id").canConvertToLong()) {
            throw ApiError.badRequest("payload field 'comment.id' is missing");
        }
        String login = required(user, "login", "comment.user.login");
        if ("Bot".equals(text(user, "type"))) {
            return new WebhookEvent.Ignored("a comment by the bot " + login + ": no command");
        }
        String id = comment.path("id").asText();
        return new WebhookEvent.Comment(number, kind + ":" + id,
                place != null ? place : new CommandReply.CommentPlace(CommandReply.CommentPlace.CONVERSATION, id, null),
                login, user.path("id").canConvertToLong() ? user.path("id").asLong() : null,
                comment.path("body").asText(""), state == null ? null : "open".equals(state));
    }

    /** GitLab's note event: a comment on a merge request (others are on issues, commits or snippets). */
    private static WebhookEvent gitlabNote(JsonNode payload) {
        JsonNode note = payload.path("object_attributes");
        if (!"MergeRequest".equals(text(note, "noteable_type"))) {
            return new WebhookEvent.Ignored("a note on " + (text(note, "noteable_type") == null ? "something"
                    : "a " + text(note, "noteable_type")) + ", not on a merge request: no command");
        }
        if (note.path("system").asBoolean(false)) {
            return new WebhookEvent.Ignored("a system note: no command");
        }
        String action = text(note, "action");
        if (action != null && !"create".equals(action)) {
            return new WebhookEvent.Ignored("note " + action + "d: only new comments give drep commands");
        }
        JsonNode mr = payload.path("merge_request");
        int iid = mr.path("iid").asInt(0);
        if (iid <= 0 || !note.path("id").canConvertToLong()) {
            throw ApiError.badRequest("payload fields 'merge_request.iid' and 'object_attributes.id' are required in a "
                    + "GitLab note event");
        }
        JsonNode user = payload.path("user");
        String login = required(user, "username", "user.username");
        if (user.path("bot").asBoolean(false)) {
            return new WebhookEvent.Ignored("a comment by the bot " + login + ": no command");
        }
        String id = note.path("id").asText();
        String type = text(note, "type");
        String discussion = text(note, "discussion_id");
        CommandReply.CommentPlace place = ("DiscussionNote".equals(type) || "DiffNote".equals(type)) && discussion != null
                ? new CommandReply.CommentPlace(CommandReply.CommentPlace.DISCUSSION, id, discussion)
                : new CommandReply.CommentPlace(CommandReply.CommentPlace.CONVERSATION, id, null);
        String state = text(mr, "state");
        return new WebhookEvent.Comment(iid, "note:" + id, place, login,
                user.path("id").canConvertToLong() ? user.path("id").asLong() : null, note.path("note").asText(""),
                state == null ? null : "opened".equals(state));
    }

    private static WebhookEvent gitlab(String event, JsonNode payload, String registeredBranch) {
        String kind = text(payload, "object_kind");
        if ("note".equals(kind)) {
            return gitlabNote(payload);
        }
        if ("merge_request".equals(kind)) {
            JsonNode mr = payload.path("object_attributes");
            int iid = mr.path("iid").asInt(0);
            if (iid <= 0) {
                throw ApiError.badRequest("payload field 'object_attributes.iid' is missing: not a GitLab merge request event");
            }
            String action = text(mr, "action");
            String state = text(mr, "state");
            if ("close".equals(action) || "merge".equals(action) || "closed".equals(state) || "merged".equals(state)) {
                return new WebhookEvent.Ignored("merge request !" + iid + " is " + (state == null ? action + "d" : state)
                        + ": nothing to review");
            }
            boolean review = "open".equals(action) || "reopen".equals(action)
                    // "update" also fires for title, label or assignee changes; oldrev is there only with new commits
                    || ("update".equals(action) && text(mr, "oldrev") != null);
            if (!review) {
                return new WebhookEvent.Ignored("update".equals(action) ? "merge request !" + iid
                        + " updated without new commits: nothing to review" : "merge request action '" + action + "' needs no review");
            }
            return new WebhookEvent.Review(iid, required(mr, "target_branch", "object_attributes.target_branch"), null,
                    commit(mr.path("last_commit"), "id", "object_attributes.last_commit.id", false),
                    // GitLab names the merge request's author only by id; the event's user is who opened or pushed
                    text(payload.path("user"), "username"));
        }
        if ("push".equals(kind)) {
            return push(text(payload, "ref"), text(payload, "after"),
                    defaultBranch(text(payload.path("project"), "default_branch"), registeredBranch));
        }
        return new WebhookEvent.Ignored("event '" + (kind != null ? kind : event) + "' is not one drep acts on");
    }

    private static WebhookEvent push(String ref, String after, String defaultBranch) {
        if (ref == null || !ref.equals("refs/heads/" + defaultBranch)) {
            return new WebhookEvent.Ignored("push to " + ref + ", not to the default branch " + defaultBranch
                    + ": no scan");
        }
        if (after == null || after.chars().allMatch(c -> c == '0')) {
            return new WebhookEvent.Ignored("the default branch was deleted: no scan");
        }
        if (!COMMIT.matcher(after).matches()) {
            throw ApiError.badRequest("payload field 'after' is not a commit id");
        }
        return new WebhookEvent.Scan(defaultBranch, after);
    }

    private static String defaultBranch(String fromPayload, String registered) {
        // the platform's current answer wins: the default branch may have been renamed since registration
        return fromPayload != null ? fromPayload : registered;
    }

    private static String commit(JsonNode node, String field, String name, boolean optional) {
        String value = text(node, field);
        if (value == null && optional) {
            return null;
        }
        if (value == null || !COMMIT.matcher(value).matches()) {
            throw ApiError.badRequest("payload field '" + name + "' is missing or not a commit id");
        }
        return value;
    }

    private static String required(JsonNode node, String field, String name) {
        String value = text(node, field);
        if (value == null) {
            throw ApiError.badRequest("payload field '" + name + "' is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
