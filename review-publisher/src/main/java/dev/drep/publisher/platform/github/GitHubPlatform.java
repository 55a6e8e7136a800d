package dev.drep.publisher.platform.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drep.contracts.CommandReply.CommentPlace;
import dev.drep.core.platform.Platform;
import dev.drep.publisher.platform.ApiUrls;
import dev.drep.publisher.platform.CommitState;
import dev.drep.publisher.platform.GitHubStylePlatform;
import dev.drep.publisher.platform.InlineComment;
import dev.drep.publisher.platform.InlineOutcome;
import dev.drep.publisher.platform.PlatformException;
import dev.drep.publisher.platform.PlatformHttp;
import dev.drep.publisher.platform.PlatformTarget;
import dev.drep.publisher.platform.PostedItem;
import dev.drep.publisher.platform.PublisherConfig;
import dev.drep.publisher.platform.SuggestionStyle;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * GitHub (and GitHub Enterprise: {@code apiUrl} {@code https://host/api/v3}) REST API, version
 * 2022-11-28, authenticated with {@code Authorization: Bearer <token>}.
 *
 * <ul>
 *   <li>Inline comments: one pull request review per push, {@code POST /repos/{o}/{r}/pulls/{n}/reviews}
 *       with {@code commit_id} = head, {@code event: COMMENT} and {@code comments[{path, line,
 *       side: RIGHT, body}]}; a finding covering several lines is a multi-line comment, {@code start_line}
 *       (its first line, {@code start_side: RIGHT}) to {@code line} (its last), whose {@code suggestion} block
 *       replaces all of them. GitHub refuses the whole review (422) when one comment cannot be placed,
 *       so on a 422 each comment is posted alone ({@code POST .../pulls/{n}/comments}) to find which.</li>
 *   <li>Summary: an issue comment, {@code POST .../issues/{n}/comments}, edited with
 *       {@code PATCH .../issues/comments/{id}}.</li>
 *   <li>Status: a check run ({@code POST .../check-runs}, then {@code PATCH .../check-runs/{id}}; needs
 *       a GitHub App token) or, with {@code drep.publisher.github.status-api=commit-status}, a commit
 *       status ({@code POST .../statuses/{sha}}).</li>
 *   <li>Answers to commands: in the thread of a diff comment, {@code POST .../pulls/{n}/comments/{id}/replies};
 *       else an issue comment.</li>
 * </ul>
 */
@Singleton
public class GitHubPlatform extends GitHubStylePlatform {
    private static final int PER_PAGE = 100;

    public GitHubPlatform(PlatformHttp http, PublisherConfig config) {
        super("github", SuggestionStyle.GITHUB, http, config, "per_page", PER_PAGE);
    }

    @Override
    public PostedItem reply(PlatformTarget target, CommentPlace place, String body) {
        if (!CommentPlace.REVIEW_COMMENT.equals(place.kind())) {
            return createComment(target, body);
        }
        return item(json(target, HttpMethod.POST, pulls(target) + "/comments/" + ApiUrls.segment(place.commentId())
                + "/replies", object().put("body", body)), "id");
    }

    @Override
    public java.util.Optional<String> threadStart(PlatformTarget target, CommentPlace thread) {
        if (!CommentPlace.REVIEW_COMMENT.equals(thread.kind()) || thread.commentId() == null) {
            return java.util.Optional.empty();
        }
        // GET /repos/{o}/{r}/pulls/comments/{id}: the thread's first comment (replies name it as in_reply_to_id)
        return unlessGone(() -> json(target, HttpMethod.GET, repo(target) + "/pulls/comments/"
                + ApiUrls.segment(thread.commentId()), null).path("body").asText(""));
    }

    @Override
    public List<String> replyBodies(PlatformTarget target) {
        List<String> bodies = new ArrayList<>(inlineCommentBodies(target));
        comments(target).forEach(comment -> bodies.add(comment.body()));
        return bodies;
    }

    @Override
    public int maxBodyLength() {
        return config.github().maxBodyLength();
    }

    @Override
    public void postInline(PlatformTarget target, String reviewBody, List<InlineComment> comments,
            Consumer<InlineOutcome> outcomes) {
        // the review is refused as a whole when one comment cannot be placed: then each is posted alone
        postAsOneReview(comments, outcomes, all -> postReview(target, reviewBody, all),
                comment -> postOne(target, comment));
    }

    private JsonNode postReview(PlatformTarget target, String reviewBody, List<InlineComment> comments) {
        ObjectNode review = object();
        review.put("commit_id", target.headSha());
        review.put("event", "COMMENT");
        review.put("body", reviewBody);
        ArrayNode array = review.putArray("comments");
        for (InlineComment comment : comments) {
            lines(array.addObject().put("path", comment.path()), comment).put("body", comment.body());
        }
        return json(target, HttpMethod.POST, pulls(target) + "/reviews", review);
    }

    private JsonNode postOne(PlatformTarget target, InlineComment comment) {
        ObjectNode body = object().put("body", comment.body()).put("commit_id", target.headSha())
                .put("path", comment.path());
        return json(target, HttpMethod.POST, pulls(target) + "/comments", lines(body, comment));
    }

    /**
     * The comment's lines on the head side: {@code line} and {@code side}, and for a range {@code start_line}
     * and {@code start_side} (its first line) with {@code line} its last, so that a suggestion replaces them all.
     */
    private static ObjectNode lines(ObjectNode node, InlineComment comment) {
        if (comment.multiLine()) {
            node.put("start_line", comment.line()).put("start_side", "RIGHT");
        }
        return node.put("line", comment.endLine()).put("side", "RIGHT");
    }

    @Override
    public List<String> inlineCommentBodies(PlatformTarget target) {
        List<String> bodies = new ArrayList<>();
        for (JsonNode comment : list(target, pulls(target) + "/comments")) {
            bodies.add(comment.path("body").asText(""));
        }
        return bodies;
    }

    private static final String REVIEW_THREADS = "query($owner: String!, $name: String!, $number: Int!, $after: String)"
            + " { repository(owner: $owner, name: $name) { pullRequest(number: $number) {"
            + " reviewThreads(first: 100, after: $after) { pageInfo { hasNextPage endCursor }"
            + " nodes { id isResolved comments(first: 1) { nodes { body } } } } } } }";
    private static final String RESOLVE_THREAD = "mutation($threadId: ID!) {"
            + " resolveReviewThread(input: {threadId: $threadId}) { thread { id isResolved } } }";

    /**
     * Resolves the review thread whose first comment carries the finding's marker, with the GraphQL API (REST has no
     * way to resolve a thread): {@code pullRequest.reviewThreads} to find the thread, then the
     * {@code resolveReviewThread} mutation unless it is resolved already.
     */
    @Override
    public boolean resolveInline(PlatformTarget target, String findingMarker, String platformId, String note,
            String noteMarker) {
        String repository = target.ref().repository();
        int slash = repository == null ? -1 : repository.indexOf('/');
        if (slash <= 0) {
            throw PlatformException.failed("repository '" + repository + "' is not of the form owner/name");
        }
        String after = null;
        for (int page = 0; page < config.http().maxPages(); page++) {
            ObjectNode variables = object().put("owner", repository.substring(0, slash))
                    .put("name", repository.substring(slash + 1)).put("number", target.ref().number());
            if (after != null) {
                variables.put("after", after);
            }
            JsonNode threads = graphql(target, REVIEW_THREADS, variables).path("repository").path("pullRequest")
                    .path("reviewThreads");
            for (JsonNode thread : threads.path("nodes")) {
                if (thread.path("comments").path("nodes").path(0).path("body").asText("").contains(findingMarker)) {
                    if (!thread.path("isResolved").asBoolean(false)) {
                        graphql(target, RESOLVE_THREAD, object().put("threadId", thread.path("id").asText()));
                    }
                    return true;
                }
            }
            if (!threads.path("pageInfo").path("hasNextPage").asBoolean(false)) {
                return false;
            }
            after = threads.path("pageInfo").path("endCursor").asText();
        }
        return false;
    }

    /** One GraphQL request; errors in a 200 answer are a failure naming them. */
    private JsonNode graphql(PlatformTarget target, String query, ObjectNode variables) {
        ObjectNode request = object().put("query", query);
        request.set("variables", variables);
        JsonNode answer = json(target, HttpMethod.POST, graphqlUrl(target), request);
        if (answer.path("errors").isArray() && !answer.path("errors").isEmpty()) {
            throw PlatformException.failed("GitHub's GraphQL API refused the request: "
                    + answer.path("errors").path(0).path("message").asText("(no message)"));
        }
        return answer.path("data");
    }

    /** {@code https://api.github.com/graphql}; GitHub Enterprise: {@code https://host/api/graphql}. */
    private String graphqlUrl(PlatformTarget target) {
        String api = api(target);
        return api.endsWith("/api/v3") ? api.substring(0, api.length() - "/v3".length()) + "/graphql" : api + "/graphql";
    }

    @Override
    public String setStatus(PlatformTarget target, String sha, CommitState state, String description,
            String existingId) {
        if ("commit-status".equals(config.github().statusApi())) {
            commitStatus(target, sha, state, description);
            return null;
        }
        String id = existingId != null ? existingId : findCheckRun(target, sha);
        ObjectNode run = object();
        if (state == CommitState.PENDING) {
            run.put("status", "in_progress");
        } else {
            run.put("status", "completed");
            run.put("conclusion", switch (state) {
                case SUCCESS -> "success";
                case NEUTRAL -> "neutral";
                default -> "failure";
            });
        }
        run.putObject("output").put("title", description).put("summary", description);
        if (id == null) {
            run.put("name", config.status().context());
            run.put("head_sha", sha);
            return json(target, HttpMethod.POST, repo(target) + "/check-runs", run).path("id").asText();
        }
        json(target, HttpMethod.PATCH, repo(target) + "/check-runs/" + ApiUrls.segment(id), run);
        return id;
    }

    /** A check run created earlier whose id was not recorded (e.g. a crash right after creating it). */
    private String findCheckRun(PlatformTarget target, String sha) {
        JsonNode runs = json(target, HttpMethod.GET, repo(target) + "/commits/" + ApiUrls.segment(sha)
                + "/check-runs?check_name=" + ApiUrls.segment(config.status().context()), null);
        for (JsonNode run : runs.path("check_runs")) {
            if (config.status().context().equals(run.path("name").asText())) {
                return run.path("id").asText();
            }
        }
        return null;
    }

    @Override
    public List<PostedItem> openIssues(PlatformTarget target) {
        List<PostedItem> items = new ArrayList<>();
        for (JsonNode issue : list(target, repo(target) + "/issues?state=open")) {
            // GitHub lists pull requests among issues
            if (!issue.has("pull_request")) {
                items.add(item(issue, "number"));
            }
        }
        return items;
    }


    @Override
    protected String api(PlatformTarget target) {
        return ApiUrls.root(Platform.GITHUB, target.ref().apiUrl());
    }
}
