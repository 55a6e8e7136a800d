package dev.drep.scanner.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.CommandReply;
import dev.drep.core.command.AskPrompt.ThreadComment;
import dev.drep.core.platform.Platform;
import dev.drep.platformaccess.PlatformClient;
import dev.drep.scanner.ScannerConfig;
import dev.drep.scanner.platform.PlatformAccess;
import dev.drep.scanner.platform.PlatformProblem;
import dev.drep.scanner.repository.RepositorySnapshot;
import dev.drep.scanner.secrets.SecretReferences;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The earlier comments of the thread a command was given in, for {@code /drep ask}: the pull request's conversation
 * (GitHub and Gitea issue comments, GitLab merge request notes other than system notes), a GitHub review comment's
 * thread (its first comment and the replies to it), or a GitLab discussion. One page of the platform's list (100
 * comments, the newest for conversations) is read: the prompt keeps only the latest that fit anyway. Blocking.
 */
@ApplicationScoped
public class PullRequestThreads {
    private static final int PAGE = 100;

    private final PlatformClient http;
    private final ObjectMapper json;
    private final SecretReferences secrets;
    private final Duration timeout;

    public PullRequestThreads(Vertx vertx, ObjectMapper json, SecretReferences secrets, ScannerConfig config,
            PlatformAccess access) {
        this.json = json;
        this.secrets = secrets;
        this.timeout = config.platformTimeout();
        this.http = new PlatformClient(vertx, "drep-scanner", timeout, access.rules(), access.maxResponseBytes());
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /**
     * @param place     where the command was given
     * @param commentId the command's own comment id: it and later comments are not "earlier"
     * @return the thread's comments before the command, oldest first
     * @throws PlatformProblem when the platform cannot be asked
     */
    public List<ThreadComment> earlier(RepositorySnapshot repository, int number, CommandReply.CommentPlace place,
            long commentId) {
        String root = repository.platform().apiRoot(repository.apiUrl());
        String project = repository.projectId() != null ? repository.projectId().toString()
                : URLEncoder.encode(repository.fullName(), StandardCharsets.UTF_8);
        boolean review = CommandReply.CommentPlace.REVIEW_COMMENT.equals(place.kind());
        boolean discussion = CommandReply.CommentPlace.DISCUSSION.equals(place.kind()) && place.discussionId() != null;
        String url = switch (repository.platform()) {
            case GITHUB -> root + "/repos/" + segments(repository.fullName()) + (review ? "/pulls/" + number
                    + "/comments?per_page=" + PAGE + "&sort=created&direction=desc"
                    : "/issues/" + number + "/comments?per_page=" + PAGE + "&sort=created&direction=desc");
            case GITEA -> root + "/repos/" + segments(repository.fullName()) + "/issues/" + number + "/comments?limit="
                    + PAGE;
            case GITLAB -> root + "/projects/" + project + "/merge_requests/" + number + (discussion
                    ? "/discussions/" + URLEncoder.encode(place.discussionId(), StandardCharsets.UTF_8)
                    : "/notes?sort=desc&order_by=created_at&per_page=" + PAGE);
        };
        JsonNode list = get(repository, url, "the comments of " + (repository.platform() == Platform.GITLAB
                ? "merge request !" : "pull request #") + number + " of " + repository.fullName());
        if (discussion) {
            list = list.path("notes");
        }
        List<Earlier> found = new ArrayList<>();
        for (JsonNode comment : list) {
            long id = comment.path("id").asLong(-1);
            if (id < 0 || id >= commentId || comment.path("system").asBoolean(false)) {
                continue;
            }
            if (review) {
                String top = place.commentId();
                if (!comment.path("id").asText().equals(top) && !comment.path("in_reply_to_id").asText().equals(top)) {
                    continue;
                }
            }
            JsonNode user = repository.platform() == Platform.GITLAB ? comment.path("author") : comment.path("user");
            String author = user.path(repository.platform() == Platform.GITLAB ? "username" : "login").asText("someone");
            String body = comment.path("body").asText("");
            found.add(new Earlier(id, new ThreadComment(author, body)));
        }
        found.sort((a, b) -> Long.compare(a.id(), b.id()));
        return found.stream().map(Earlier::comment).toList();
    }

    private record Earlier(long id, ThreadComment comment) {
    }

    private JsonNode get(RepositorySnapshot repository, String url, String what) {
        Optional<String> token = repository.tokenRef() == null ? Optional.empty() : secrets.resolve(repository.tokenRef());
        PlatformClient.Answer response;
        try {
            response = http.send(new PlatformClient.Request("reading " + what, repository.tokenRef(), HttpMethod.GET,
                    url, repository.platform().requestHeaders(token.orElse(null)), null, timeout));
        } catch (RuntimeException e) {
            String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            throw new PlatformProblem("could not read " + what + ": " + token.map(t -> reason.replace(t, "***"))
                    .orElse(reason), false);
        }
        if (response.status() / 100 != 2) {
            throw new PlatformProblem(repository.platform().id() + " answered HTTP " + response.status() + " reading "
                    + what, false);
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new PlatformProblem(repository.platform().id() + " answered with an unexpected body reading " + what,
                    false);
        }
    }

    private static String segments(String fullName) {
        StringBuilder path = new StringBuilder();
        for (String segment : fullName.split("/")) {
            if (!path.isEmpty()) {
                path.append('/');
            }
            path.append(URLEncoder.encode(segment, StandardCharsets.UTF_8));
        }
        return path.toString();
    }
}
