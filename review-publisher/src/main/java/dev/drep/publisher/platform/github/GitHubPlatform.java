package dev.drep.publisher.platform.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drep.publisher.platform.ApiUrls;
import dev.drep.publisher.platform.CommitState;
import dev.drep.publisher.platform.InlineComment;
import dev.drep.publisher.platform.InlineOutcome;
import dev.drep.publisher.platform.Pager;
import dev.drep.publisher.platform.PlatformException;
import dev.drep.publisher.platform.PlatformHttp;
import dev.drep.publisher.platform.PlatformTarget;
import dev.drep.publisher.platform.PostedItem;
import dev.drep.publisher.platform.PublisherConfig;
import dev.drep.publisher.platform.ReviewPlatform;
import dev.drep.publisher.platform.SuggestionStyle;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * GitHub (and GitHub Enterprise: {@code apiUrl} {@code https://host/api/v3}) REST API, version
 * 2022-11-28, authenticated with {@code Authorization: Bearer <token>}.
 *
 * <ul>
 *   <li>Inline comments: one pull request review per push, {@code POST /repos/{o}/{r}/pulls/{n}/reviews}
 *       with {@code commit_id} = head, {@code event: COMMENT} and {@code comments[{path, line,
 *       side: RIGHT, body}]}. GitHub refuses the whole review (422) when one comment cannot be placed,
 *       so on a 422 each comment is posted alone ({@code POST .../pulls/{n}/comments}) to find which.</li>
 *   <li>Summary: an issue comment, {@code POST .../issues/{n}/comments}, edited with
 *       {@code PATCH .../issues/comments/{id}}.</li>
 *   <li>Status: a check run ({@code POST .../check-runs}, then {@code PATCH .../check-runs/{id}}; needs
 *       a GitHub App token) or, with {@code drep.publisher.github.status-api=commit-status}, a commit
 *       status ({@code POST .../statuses/{sha}}).</li>
 * </ul>
 */
@ApplicationScoped
public class GitHubPlatform implements ReviewPlatform {
    private static final int PER_PAGE = 100;

    private final PlatformHttp http;
    private final PublisherConfig config;

    public GitHubPlatform(PlatformHttp http, PublisherConfig config) {
        this.http = http;
        this.config = config;
    }

    @Override
    public String name() {
        return "github";
    }

    @Override
    public int maxBodyLength() {
        return config.github().maxBodyLength();
    }

    @Override
    public SuggestionStyle suggestionStyle() {
        return SuggestionStyle.GITHUB;
    }

    @Override
    public void postInline(PlatformTarget target, String reviewBody, List<InlineComment> comments,
            Consumer<InlineOutcome> outcomes) {
        ObjectNode review = object();
        review.put("commit_id", target.headSha());
        review.put("event", "COMMENT");
        review.put("body", reviewBody);
        ArrayNode array = review.putArray("comments");
        for (InlineComment comment : comments) {
            array.addObject().put("path", comment.path()).put("line", comment.line()).put("side", "RIGHT")
                    .put("body", comment.body());
        }
        try {
            JsonNode posted = json(target, HttpMethod.POST, pulls(target) + "/reviews", review);
            String id = posted.path("id").asText();
            String url = posted.path("html_url").asText(null);
            for (InlineComment comment : comments) {
                outcomes.accept(InlineOutcome.posted(comment, id, url));
            }
        } catch (PlatformException e) {
            if (e.kind() != PlatformException.Kind.REJECTED) {
                throw e;
            }
            if (comments.size() == 1) {
                outcomes.accept(InlineOutcome.rejected(comments.get(0), e.reason()));
                return;
            }
            // the review was refused as a whole and nothing of it exists: find the comments at fault
            for (InlineComment comment : comments) {
                outcomes.accept(postOne(target, comment));
            }
        }
    }

    private InlineOutcome postOne(PlatformTarget target, InlineComment comment) {
        ObjectNode body = object().put("body", comment.body()).put("commit_id", target.headSha())
                .put("path", comment.path()).put("line", comment.line()).put("side", "RIGHT");
        try {
            JsonNode posted = json(target, HttpMethod.POST, pulls(target) + "/comments", body);
            return InlineOutcome.posted(comment, posted.path("id").asText(), posted.path("html_url").asText(null));
        } catch (PlatformException e) {
            if (e.kind() == PlatformException.Kind.REJECTED) {
                return InlineOutcome.rejected(comment, e.reason());
            }
            throw e;
        }
    }

    @Override
    public List<String> inlineCommentBodies(PlatformTarget target) {
        List<String> bodies = new ArrayList<>();
        for (JsonNode comment : list(target, pulls(target) + "/comments")) {
            bodies.add(comment.path("body").asText(""));
        }
        return bodies;
    }

    @Override
    public List<PostedItem> comments(PlatformTarget target) {
        List<PostedItem> items = new ArrayList<>();
        for (JsonNode comment : list(target, repo(target) + "/issues/" + target.ref().number() + "/comments")) {
            items.add(item(comment, "id"));
        }
        return items;
    }

    @Override
    public PostedItem createComment(PlatformTarget target, String body) {
        return item(json(target, HttpMethod.POST, repo(target) + "/issues/" + target.ref().number() + "/comments",
                object().put("body", body)), "id");
    }

    @Override
    public Optional<PostedItem> editComment(PlatformTarget target, String id, String body) {
        try {
            return Optional.of(item(json(target, HttpMethod.PATCH,
                    repo(target) + "/issues/comments/" + ApiUrls.segment(id), object().put("body", body)), "id"));
        } catch (PlatformException e) {
            if (e.kind() == PlatformException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public String setStatus(PlatformTarget target, String sha, CommitState state, String description,
            String existingId) {
        if ("commit-status".equals(config.github().statusApi())) {
            ObjectNode status = object().put("state", state.name().toLowerCase(Locale.ROOT))
                    .put("context", config.status().context()).put("description", description);
            json(target, HttpMethod.POST, repo(target) + "/statuses/" + ApiUrls.segment(sha), status);
            return null;
        }
        String id = existingId != null ? existingId : findCheckRun(target, sha);
        ObjectNode run = object();
        if (state == CommitState.PENDING) {
            run.put("status", "in_progress");
        } else {
            run.put("status", "completed");
            run.put("conclusion", state == CommitState.SUCCESS ? "success" : "failure");
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
    public PostedItem createIssue(PlatformTarget target, String title, String body) {
        return item(json(target, HttpMethod.POST, repo(target) + "/issues",
                object().put("title", title).put("body", body)), "number");
    }

    private List<JsonNode> list(PlatformTarget target, String url) {
        String separator = url.contains("?") ? "&" : "?";
        return Pager.all(page -> json(target, HttpMethod.GET, url + separator + "per_page=" + PER_PAGE + "&page=" + page,
                null), PER_PAGE, config.http().maxPages());
    }

    private JsonNode json(PlatformTarget target, HttpMethod method, String url, Object body) {
        return http.json(http.send(target, method, url, headers(target), body));
    }

    private static PostedItem item(JsonNode node, String idField) {
        return new PostedItem(node.path(idField).asText(), node.path("html_url").asText(null), node.path("body").asText(""));
    }

    private static Map<String, String> headers(PlatformTarget target) {
        return Map.of("Authorization", "Bearer " + target.token(),
                "Accept", "application/vnd.github+json",
                "X-GitHub-Api-Version", "2022-11-28");
    }

    private static String repo(PlatformTarget target) {
        return ApiUrls.base(target.ref().apiUrl(), "") + "/repos/" + ApiUrls.ownerAndName(target.ref().repository());
    }

    private static String pulls(PlatformTarget target) {
        return repo(target) + "/pulls/" + target.ref().number();
    }

    private ObjectNode object() {
        return http.mapper().createObjectNode();
    }
}
