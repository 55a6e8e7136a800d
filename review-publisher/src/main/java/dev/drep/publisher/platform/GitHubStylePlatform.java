package dev.drep.publisher.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The repository endpoints Gitea copies from GitHub, under {@code /repos/{owner}/{name}}: the pull
 * request's conversation comments ({@code GET|POST .../issues/{n}/comments}, {@code PATCH
 * .../issues/comments/{id}}), issues ({@code POST .../issues}, closed with {@code PATCH .../issues/{n}}
 * {@code state: closed}, commented on with {@code POST .../issues/{n}/comments}) and commit statuses
 * ({@code POST .../statuses/{sha}} with {@code state}, {@code context} and {@code description}), and the pull
 * request's description ({@code GET .../pulls/{n}} {@code body}, {@code PATCH .../pulls/{n}} with {@code body}).
 */
public abstract class GitHubStylePlatform extends RestPlatform {

    protected GitHubStylePlatform(String name, SuggestionStyle suggestionStyle, PlatformHttp http,
            PublisherConfig config, String pageSizeParameter, int pageSize) {
        super(name, suggestionStyle, http, config, pageSizeParameter, pageSize);
    }

    /** @return the API root of {@code target}'s server, without a trailing slash */
    protected abstract String api(PlatformTarget target);

    /** @return the repository's API URL, {@code {api}/repos/{owner}/{name}} */
    protected String repo(PlatformTarget target) {
        return api(target) + "/repos/" + ApiUrls.ownerAndName(target.ref().repository());
    }

    /** @return the pull request's API URL */
    protected String pulls(PlatformTarget target) {
        return repo(target) + "/pulls/" + target.ref().number();
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
        return unlessGone(() -> item(json(target, HttpMethod.PATCH,
                repo(target) + "/issues/comments/" + ApiUrls.segment(id), object().put("body", body)), "id"));
    }

    @Override
    public String description(PlatformTarget target) {
        return json(target, HttpMethod.GET, pulls(target), null).path("body").asText("");
    }

    @Override
    public void setDescription(PlatformTarget target, String description) {
        json(target, HttpMethod.PATCH, pulls(target), object().put("body", description));
    }

    @Override
    public PostedItem createIssue(PlatformTarget target, String title, String body) {
        return item(json(target, HttpMethod.POST, repo(target) + "/issues",
                object().put("title", title).put("body", body)), "number");
    }

    @Override
    public void commentOnIssue(PlatformTarget target, String id, String body) {
        json(target, HttpMethod.POST, repo(target) + "/issues/" + ApiUrls.segment(id) + "/comments",
                object().put("body", body));
    }

    @Override
    public void closeIssue(PlatformTarget target, String id) {
        json(target, HttpMethod.PATCH, repo(target) + "/issues/" + ApiUrls.segment(id), object().put("state", "closed"));
    }

    /**
     * @return the commit status state for {@code state}; GitHub's statuses have no neutral state, so a neutral
     *         verdict is {@code success} (its description says the review is incomplete)
     */
    protected String statusState(CommitState state) {
        return state == CommitState.NEUTRAL ? "success" : state.name().toLowerCase(Locale.ROOT);
    }

    /** Sets a commit status named after {@code drep.publisher.status.context} on {@code sha}. */
    protected void commitStatus(PlatformTarget target, String sha, CommitState state, String description) {
        ObjectNode status = object().put("state", statusState(state))
                .put("context", config.status().context()).put("description", description);
        json(target, HttpMethod.POST, repo(target) + "/statuses/" + ApiUrls.segment(sha), status);
    }
}
