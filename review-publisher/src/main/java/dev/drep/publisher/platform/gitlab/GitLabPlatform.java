package dev.drep.publisher.platform.gitlab;

import dev.drep.contracts.CommandReply.CommentPlace;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drep.core.platform.Platform;
import dev.drep.publisher.platform.ApiUrls;
import dev.drep.publisher.platform.CommitState;
import dev.drep.publisher.platform.InlineComment;
import dev.drep.publisher.platform.InlineOutcome;
import dev.drep.publisher.platform.PlatformException;
import dev.drep.publisher.platform.PlatformHttp;
import dev.drep.publisher.platform.PlatformTarget;
import dev.drep.publisher.platform.PostedItem;
import dev.drep.publisher.platform.PublisherConfig;
import dev.drep.publisher.platform.RestPlatform;
import dev.drep.publisher.platform.SuggestionStyle;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * GitLab REST API v4, authenticated with {@code PRIVATE-TOKEN: <token>}. The project is addressed by
 * {@code PullRequestRef.projectId} when known, else by its URL-encoded path ({@code group%2Fproject}).
 *
 * <ul>
 *   <li>Inline comments: one discussion per comment, {@code POST /projects/{id}/merge_requests/{iid}/discussions}
 *       with {@code position{position_type: text, base_sha, start_sha, head_sha, old_path, new_path,
 *       new_line}} (the merge request's {@code diff_refs}; start defaults to base; {@code old_path} is the
 *       file's name at base, which differs from {@code new_path} for a renamed file). A finding covering
 *       several lines is commented on at its first line, and its suggestion block is
 *       {@code suggestion:-0+N} (N = endLine - line: the commented line and the N lines below it are
 *       replaced). GitLab answers 400
 *       for a line outside the diff ({@code line_code can't be blank}): that comment is rejected, the
 *       others are still posted.</li>
 *   <li>Summary: a merge request note ({@code POST .../notes}, edited with {@code PUT .../notes/{id}}).</li>
 *   <li>Issues (repository scans): {@code POST /projects/{id}/issues} with {@code title} and
 *       {@code description}; closed with {@code PUT .../issues/{iid}} {@code state_event: close}, commented
 *       on with {@code POST .../issues/{iid}/notes}.</li>
 *   <li>Status: {@code POST /projects/{id}/statuses/{sha}} with {@code state} pending/success/failed and
 *       {@code name}. GitLab refuses to set a state the status already has (400 "Cannot transition
 *       status"), which is success here: the status is what drep wanted.</li>
 * </ul>
 */
@Singleton
public class GitLabPlatform extends RestPlatform {
    private static final int PER_PAGE = 100;

    public GitLabPlatform(PlatformHttp http, PublisherConfig config) {
        super("gitlab", SuggestionStyle.GITLAB, http, config, "per_page", PER_PAGE);
    }

    @Override
    public int maxBodyLength() {
        return config.gitlab().maxBodyLength();
    }

    @Override
    public void postInline(PlatformTarget target, String reviewBody, List<InlineComment> comments,
            Consumer<InlineOutcome> outcomes) {
        String base = target.ref().baseSha();
        String start = target.ref().startSha() == null || target.ref().startSha().isBlank() ? base : target.ref().startSha();
        postOneByOne(comments, outcomes, comment -> {
            ObjectNode discussion = object().put("body", comment.body());
            discussion.putObject("position")
                    .put("position_type", "text")
                    .put("base_sha", base)
                    .put("start_sha", start)
                    .put("head_sha", target.headSha())
                    .put("old_path", comment.oldPath())
                    .put("new_path", comment.path())
                    .put("new_line", comment.line());
            JsonNode posted = json(target, HttpMethod.POST, mergeRequest(target) + "/discussions", discussion);
            JsonNode note = posted.path("notes").path(0);
            return InlineOutcome.posted(comment, posted.path("id").asText(),
                    note.has("id") ? noteUrl(target, note.path("id").asText()) : null);
        });
    }

    @Override
    public List<String> inlineCommentBodies(PlatformTarget target) {
        List<String> bodies = new ArrayList<>();
        for (JsonNode note : notes(target)) {
            bodies.add(note.path("body").asText(""));
        }
        return bodies;
    }

    /**
     * Resolves the comment's discussion, {@code PUT .../discussions/{id}?resolved=true}; the discussion is found by
     * the comment's marker when its id was not recorded. A discussion that is gone (404) has nothing to resolve.
     */
    @Override
    public boolean resolveInline(PlatformTarget target, String findingMarker, String platformId, String note,
            String noteMarker) {
        String discussion = platformId;
        if (discussion == null || discussion.isBlank()) {
            discussion = null;
            for (JsonNode d : list(target, mergeRequest(target) + "/discussions")) {
                if (d.path("notes").path(0).path("body").asText("").contains(findingMarker)) {
                    discussion = d.path("id").asText();
                    break;
                }
            }
            if (discussion == null) {
                return false;
            }
        }
        String id = discussion;
        return unlessGone(() -> json(target, HttpMethod.PUT, mergeRequest(target) + "/discussions/"
                + ApiUrls.segment(id) + "?resolved=true", null)).isPresent();
    }

    @Override
    public List<PostedItem> comments(PlatformTarget target) {
        List<PostedItem> items = new ArrayList<>();
        for (JsonNode note : notes(target)) {
            if (!note.path("system").asBoolean(false) && !"DiffNote".equals(note.path("type").asText())) {
                items.add(note(target, note));
            }
        }
        return items;
    }

    @Override
    public PostedItem reply(PlatformTarget target, CommentPlace place, String body) {
        if (!CommentPlace.DISCUSSION.equals(place.kind()) || place.discussionId() == null || place.discussionId().isBlank()) {
            return createComment(target, body);
        }
        return note(target, json(target, HttpMethod.POST, mergeRequest(target) + "/discussions/"
                + ApiUrls.segment(place.discussionId()) + "/notes", object().put("body", body)));
    }

    @Override
    public Optional<String> threadStart(PlatformTarget target, CommentPlace thread) {
        if (thread.discussionId() == null || thread.discussionId().isBlank()) {
            return Optional.empty();
        }
        // GET /projects/:id/merge_requests/:iid/discussions/:discussion_id: its first note opened the discussion
        return unlessGone(() -> json(target, HttpMethod.GET, mergeRequest(target) + "/discussions/"
                + ApiUrls.segment(thread.discussionId()), null).path("notes").path(0).path("body").asText(""));
    }

    @Override
    public List<String> replyBodies(PlatformTarget target) {
        // every note, in discussions or not
        return inlineCommentBodies(target);
    }

    @Override
    public PostedItem createComment(PlatformTarget target, String body) {
        return note(target, json(target, HttpMethod.POST, mergeRequest(target) + "/notes", object().put("body", body)));
    }

    /** {@code GET /projects/:id/merge_requests/:iid}, its {@code description} (null for none). */
    @Override
    public String description(PlatformTarget target) {
        return json(target, HttpMethod.GET, mergeRequest(target), null).path("description").asText("");
    }

    /** {@code PUT /projects/:id/merge_requests/:iid} with {@code description}. */
    @Override
    public void setDescription(PlatformTarget target, String description) {
        json(target, HttpMethod.PUT, mergeRequest(target), object().put("description", description));
    }

    @Override
    public Optional<PostedItem> editComment(PlatformTarget target, String id, String body) {
        return unlessGone(() -> note(target, json(target, HttpMethod.PUT,
                mergeRequest(target) + "/notes/" + ApiUrls.segment(id), object().put("body", body))));
    }

    @Override
    public String setStatus(PlatformTarget target, String sha, CommitState state, String description,
            String existingId) {
        String value = switch (state) {
            case PENDING -> "pending";
            // GitLab's statuses have no neutral state that every version accepts
            case SUCCESS, NEUTRAL -> "success";
            case FAILURE -> "failed";
        };
        ObjectNode status = object().put("state", value).put("name", config.status().context())
                .put("description", description);
        try {
            json(target, HttpMethod.POST, project(target) + "/statuses/" + ApiUrls.segment(sha), status);
        } catch (PlatformException e) {
            if (e.kind() != PlatformException.Kind.REJECTED || !e.getMessage().contains("Cannot transition status")) {
                throw e;
            }
            // the status already has this state (a retried request): nothing to change
        }
        return null;
    }

    @Override
    public List<PostedItem> openIssues(PlatformTarget target) {
        List<PostedItem> items = new ArrayList<>();
        for (JsonNode issue : list(target, project(target) + "/issues?state=opened")) {
            items.add(new PostedItem(issue.path("iid").asText(), issue.path("web_url").asText(null),
                    issue.path("description").asText("")));
        }
        return items;
    }

    @Override
    public PostedItem createIssue(PlatformTarget target, String title, String body) {
        JsonNode issue = json(target, HttpMethod.POST, project(target) + "/issues",
                object().put("title", title).put("description", body));
        return new PostedItem(issue.path("iid").asText(), issue.path("web_url").asText(null),
                issue.path("description").asText(""));
    }

    @Override
    public void commentOnIssue(PlatformTarget target, String id, String body) {
        json(target, HttpMethod.POST, project(target) + "/issues/" + ApiUrls.segment(id) + "/notes",
                object().put("body", body));
    }

    @Override
    public void closeIssue(PlatformTarget target, String id) {
        json(target, HttpMethod.PUT, project(target) + "/issues/" + ApiUrls.segment(id),
                object().put("state_event", "close"));
    }

    private List<JsonNode> notes(PlatformTarget target) {
        return list(target, mergeRequest(target) + "/notes?sort=asc&order_by=created_at");
    }

    private PostedItem note(PlatformTarget target, JsonNode note) {
        String id = note.path("id").asText();
        return new PostedItem(id, noteUrl(target, id), note.path("body").asText(""));
    }

    /** GitLab's notes carry no web link: it is the merge request page with the note's anchor. */
    private static String noteUrl(PlatformTarget target, String noteId) {
        String api = ApiUrls.root(Platform.GITLAB, target.ref().apiUrl());
        String web = api.substring(0, api.length() - "/api/v4".length());
        return web + "/" + target.ref().repository() + "/-/merge_requests/" + target.ref().number() + "#note_" + noteId;
    }


    private static String project(PlatformTarget target) {
        String projectId = target.ref().projectId();
        String id = projectId != null && !projectId.isBlank() ? projectId : target.ref().repository();
        if (id == null || id.isBlank()) {
            throw PlatformException.failed("the merge request has neither projectId nor repository");
        }
        return ApiUrls.root(Platform.GITLAB, target.ref().apiUrl()) + "/projects/" + ApiUrls.segment(id);
    }

    private static String mergeRequest(PlatformTarget target) {
        return project(target) + "/merge_requests/" + target.ref().number();
    }
}
