package dev.drep.publisher.platform.gitea;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Gitea (and Forgejo) REST API under {@code /api/v1}, authenticated with {@code Authorization: token <token>}.
 *
 * <ul>
 *   <li>Inline comments: one review per push, {@code POST /repos/{o}/{r}/pulls/{index}/reviews} with
 *       {@code commit_id}, {@code event: COMMENT} and {@code comments[{path, body, new_position,
 *       old_position: 0}]}. Gitea's positions are file line numbers, not diff offsets:
 *       {@code new_position} is the line in the new file ({@code old_position} the line in the old one,
 *       0 when unused); Gitea answers them back as {@code position} / {@code original_position}. The
 *       reviews API arrived in Gitea 1.12; for older or unusual servers the line field can be forced with
 *       {@code drep.publisher.gitea.position-field=position}. With {@code auto} the server's
 *       {@code GET /version} decides (Forgejo reports {@code X+gitea-1.Y}): 1.12 and later use
 *       {@code new_position}. Gitea has no suggestions and no multi-line comments: a comment sits on its
 *       finding's first line, and a suggestion is a plain code block naming the lines it replaces.</li>
 *   <li>Summary: an issue comment ({@code POST .../issues/{index}/comments}, {@code PATCH
 *       .../issues/comments/{id}}).</li>
 *   <li>Status: a commit status, {@code POST .../statuses/{sha}} with {@code state}
 *       pending/success/failure and {@code context}.</li>
 * </ul>
 */
@Singleton
public class GiteaPlatform extends GitHubStylePlatform {
    private static final Logger LOG = Logger.getLogger(GiteaPlatform.class);
    /** Gitea's default maximum page size (MAX_RESPONSE_ITEMS). */
    private static final int PER_PAGE = 50;
    private static final Pattern VERSION = Pattern.compile("(?:gitea-)?(\\d+)\\.(\\d+)");
    /** Hidden marker in drep's review bodies, so that reconciliation reads only drep's reviews' comments. */
    private static final String REVIEW_MARKER = "<!-- drep:review -->";

    private final Map<String, String> positionFieldByServer = new ConcurrentHashMap<>();

    public GiteaPlatform(PlatformHttp http, PublisherConfig config) {
        super("gitea", SuggestionStyle.PLAIN, http, config, "limit", PER_PAGE);
    }

    @Override
    public int maxBodyLength() {
        return config.gitea().maxBodyLength();
    }

    @Override
    public void postInline(PlatformTarget target, String reviewBody, List<InlineComment> comments,
            Consumer<InlineOutcome> outcomes) {
        String field = positionField(target);
        // a refused review creates nothing: then each comment goes in a review of its own
        postAsOneReview(comments, outcomes, all -> postReview(target, reviewBody, all, field),
                comment -> postReview(target, reviewBody, List.of(comment), field));
    }

    private JsonNode postReview(PlatformTarget target, String reviewBody, List<InlineComment> comments, String field) {
        ObjectNode review = object();
        review.put("commit_id", target.headSha());
        review.put("event", "COMMENT");
        review.put("body", reviewBody + "\n\n" + REVIEW_MARKER);
        ArrayNode array = review.putArray("comments");
        for (InlineComment comment : comments) {
            ObjectNode c = array.addObject().put("path", comment.path()).put("body", comment.body());
            c.put(field, comment.line());
            if ("new_position".equals(field)) {
                c.put("old_position", 0);
            }
        }
        return json(target, HttpMethod.POST, pulls(target) + "/reviews", review);
    }

    /** The review comment field holding the new-file line, configured or detected once per server. */
    String positionField(PlatformTarget target) {
        String configured = config.gitea().positionField().strip().toLowerCase(Locale.ROOT);
        if (configured.equals("new_position") || configured.equals("position")) {
            return configured;
        }
        String base = api(target);
        String known = positionFieldByServer.get(base);
        if (known != null) {
            return known;
        }
        String field;
        try {
            String version = json(target, HttpMethod.GET, base + "/version", null).path("version").asText("");
            field = fieldFor(version);
            LOG.infof("gitea at %s reports version %s: review comments use %s", base, version, field);
        } catch (PlatformException e) {
            if (e.kind() == PlatformException.Kind.UNAVAILABLE || e.kind() == PlatformException.Kind.RATE_LIMITED) {
                throw e;
            }
            field = "new_position";
            LOG.warnf("gitea at %s: version unknown (%s); review comments use new_position", base, e.getMessage());
        }
        positionFieldByServer.put(base, field);
        return field;
    }

    /** {@code new_position} for Gitea 1.12 and later (and unknown versions), {@code position} before. */
    public static String fieldFor(String version) {
        int gitea = version.indexOf("gitea-");
        Matcher m = VERSION.matcher(gitea >= 0 ? version.substring(gitea) : version);
        if (!m.find()) {
            return "new_position";
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 1 || (major == 1 && minor >= 12) ? "new_position" : "position";
    }

    @Override
    public List<String> inlineCommentBodies(PlatformTarget target) {
        List<String> bodies = new ArrayList<>();
        for (JsonNode review : list(target, pulls(target) + "/reviews")) {
            if (!review.path("body").asText("").contains(REVIEW_MARKER)) {
                continue;
            }
            JsonNode comments = json(target, HttpMethod.GET,
                    pulls(target) + "/reviews/" + ApiUrls.segment(review.path("id").asText()) + "/comments", null);
            for (JsonNode comment : comments) {
                bodies.add(comment.path("body").asText(""));
            }
        }
        return bodies;
    }

    /**
     * Gitea's comment webhook names no thread: the reply ({@code thread.commentId}) is looked for among the pull request's
     * review comments, and its thread is drep's review comment on the same file and line.
     */
    @Override
    public java.util.Optional<String> threadStart(PlatformTarget target, dev.drep.contracts.CommandReply.CommentPlace thread) {
        if (thread.commentId() == null) {
            return java.util.Optional.empty();
        }
        JsonNode reply = null;
        List<JsonNode> drep = new ArrayList<>();
        for (JsonNode review : list(target, pulls(target) + "/reviews")) {
            boolean ours = review.path("body").asText("").contains(REVIEW_MARKER);
            JsonNode comments = json(target, HttpMethod.GET,
                    pulls(target) + "/reviews/" + ApiUrls.segment(review.path("id").asText()) + "/comments", null);
            for (JsonNode comment : comments) {
                if (comment.path("id").asText().equals(thread.commentId())) {
                    reply = comment;
                } else if (ours) {
                    drep.add(comment);
                }
            }
        }
        if (reply == null) {
            return java.util.Optional.empty();
        }
        for (JsonNode comment : drep) {
            if (comment.path("path").asText().equals(reply.path("path").asText())
                    && line(comment) > 0 && line(comment) == line(reply)) {
                return java.util.Optional.of(comment.path("body").asText(""));
            }
        }
        return java.util.Optional.empty();
    }

    /** A review comment's line in the new file ({@code position}; {@code original_position} once outdated). */
    private static int line(JsonNode comment) {
        int position = comment.path("position").asInt(0);
        return position > 0 ? position : comment.path("original_position").asInt(0);
    }

    /** Gitea has no API to resolve a review conversation: a conversation comment says the finding is fixed. */
    @Override
    public boolean resolveInline(PlatformTarget target, String findingMarker, String platformId, String note,
            String noteMarker) {
        for (PostedItem comment : comments(target)) {
            if (comment.body().contains(noteMarker)) {
                return true;
            }
        }
        createComment(target, note);
        return true;
    }

    @Override
    public String setStatus(PlatformTarget target, String sha, CommitState state, String description,
            String existingId) {
        commitStatus(target, sha, state, description);
        return null;
    }

    /** Gitea's {@code warning} is its neutral state. */
    @Override
    protected String statusState(CommitState state) {
        return state == CommitState.NEUTRAL ? "warning" : super.statusState(state);
    }

    @Override
    public List<PostedItem> openIssues(PlatformTarget target) {
        List<PostedItem> items = new ArrayList<>();
        for (JsonNode issue : list(target, repo(target) + "/issues?state=open&type=issues")) {
            items.add(item(issue, "number"));
        }
        return items;
    }


    @Override
    protected String api(PlatformTarget target) {
        return ApiUrls.root(Platform.GITEA, target.ref().apiUrl());
    }
}
