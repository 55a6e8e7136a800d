package dev.drep.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.launcher.stack.ServiceKind;
import dev.drep.launcher.stack.StackState;
import dev.drep.launcher.stack.StateFile;
import dev.drep.testsupport.git.TestRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 4, through the four real services of a {@code drep up} stack and a fake Gitea: a reader's 👎 on drep's
 * inline comment is read at the pull request's next review ({@code /drep review}), which then lists the finding as
 * rejected (not justified, not commented on again); the repository's learnings list the reaction, and the acceptance
 * table counts the finding rejected under its rule and model ({@code none}: the markdown checks are deterministic).
 */
class ReactionsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String REPOSITORY = "acme/reactions";
    private static final String API = "/api/v1/repos/" + REPOSITORY;
    private static final String RULE = "md.trailing-whitespace";

    @TempDir
    static Path work;
    private static GiteaFake gitea;
    private static Drep drep;
    private static JsonNode registered;
    private static String base;
    private static String head;

    @BeforeAll
    static void startGiteaStackAndRepository() throws Exception {
        Path origin = work.resolve("origin");
        try (TestRepository repo = TestRepository.init(origin)) {
            repo.write("docs/guide.md", "# Guide\n\nSome text.\n");
            base = repo.commit("base");
            repo.write("docs/guide.md", "# Guide\n\nSome text.\nA trailing space \n");
            head = repo.commit("head");
        }
        GiteaFake.openPullRequest(origin, 5, base, head);
        gitea = GiteaFake.start(REPOSITORY);
        gitea.server().stubFor(get(urlPathEqualTo(API + "/collaborators/maintainer/permission"))
                .willReturn(okJson("{\"permission\":\"write\",\"role_name\":\"write\"}")));
        gitea.server().stubFor(get(urlPathEqualTo(API + "/pulls/5")).willReturn(okJson(JSON.writeValueAsString(Map.of(
                "number", 5, "state", "open", "user", Map.of("login", "octocat"),
                "base", Map.of("ref", "main", "sha", base), "head", Map.of("ref", "feature-5", "sha", head))))));
        drep = new Drep(work.resolve("data"), gitea.stackVariables("reactions-e2e-webhook-key-0123456789abcdef"));
        Drep.Run up = drep.run(work, "up", "--free-ports");
        assertThat(up.exitCode()).as("drep up: %s%n%s", up.out(), up.err()).isZero();
        registered = call("POST", "/api/repositories", gitea.registration(origin), 201);
    }

    @AfterAll
    static void stop() {
        if (drep != null) {
            drep.run(work, "down");
        }
        if (gitea != null) {
            gitea.close();
        }
    }

    @Test
    void aThumbsDownOnDrepsCommentIsReadAtTheNextReviewListedAsRejectedAndCountedInTheAcceptanceTable()
            throws Exception {
        // 1. the review of pull request 5 comments on the trailing space
        review(gitea.deliverPullRequestOpened(HTTP, scanner(), registered, 5, base, head));
        List<LoggedRequest> reviews = gitea.server().findAll(postRequestedFor(urlPathEqualTo(API + "/pulls/5/reviews")));
        assertThat(reviews).hasSize(1);
        JsonNode posted = JSON.readTree(reviews.get(0).getBodyAsString());
        JsonNode comment = null;
        for (JsonNode c : posted.path("comments")) {
            if (c.path("body").asText().contains(RULE)) {
                comment = c;
            }
        }
        assertThat(comment).as("drep's comment on the trailing space: %s", posted).isNotNull();
        int line = comment.path("new_position").asInt();

        // 2. Gitea now shows drep's review with its comment, and a reader's 👎 on it
        gitea.server().stubFor(get(urlPathEqualTo(API + "/pulls/5/reviews")).willReturn(okJson(JSON.writeValueAsString(
                List.of(Map.of("id", 90, "body", posted.path("body").asText()))))));
        gitea.server().stubFor(get(urlPathEqualTo(API + "/pulls/5/reviews/90/comments")).willReturn(okJson(
                JSON.writeValueAsString(List.of(Map.of("id", 901, "path", "docs/guide.md", "position", line,
                        "user", Map.of("login", "drep-bot"), "body", comment.path("body").asText()))))));
        gitea.server().stubFor(get(urlPathEqualTo(API + "/issues/comments/901/reactions")).willReturn(okJson(
                JSON.writeValueAsString(List.of(Map.of("content", "-1", "user", Map.of("login", "reader")),
                        Map.of("content", "laugh", "user", Map.of("login", "someone")))))));

        // 3. /drep review: the reactions are read before the review is posted; the finding is listed as rejected
        gitea.server().resetRequests();
        HttpResponse<String> again = deliver(comment(913, "maintainer", "/drep review"));
        review(again);
        assertThat(gitea.server().findAll(getRequestedFor(urlPathEqualTo(API + "/issues/comments/901/reactions"))))
                .isNotEmpty();
        assertThat(gitea.server().findAll(postRequestedFor(urlPathEqualTo(API + "/pulls/5/reviews"))))
                .as("the rejected finding is not commented on again").isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> gitea.server()
                .findAll(patchRequestedFor(urlPathMatching(API + "/issues/comments/[0-9]+"))).stream()
                .anyMatch(r -> r.getBodyAsString().contains("- rejected: `docs/guide.md:" + line + "` `" + RULE
                        + "`, 👎 by `reader`") && !r.getBodyAsString().contains("- justified")));

        String id = registered.path("id").asText();
        JsonNode learnings = call("GET", "/api/repositories/" + id + "/learnings", null, 200);
        assertThat(learnings.path("learnings")).hasSize(1);
        assertThat(learnings.path("learnings").get(0).path("kind").asText()).isEqualTo("reaction");
        assertThat(learnings.path("learnings").get(0).path("author").asText()).isEqualTo("reader");
        JsonNode acceptance = call("GET", "/api/repositories/" + id + "/acceptance", null, 200);
        JsonNode row = null;
        for (JsonNode r : acceptance.path("rows")) {
            if (r.path("rule").asText().equals(RULE)) {
                row = r;
            }
        }
        assertThat(row).as("the acceptance row of %s: %s", RULE, acceptance).isNotNull();
        assertThat(row.path("model").asText()).isEqualTo("none");
        assertThat(row.path("posted").asInt()).isEqualTo(1);
        assertThat(row.path("rejected").asInt()).isEqualTo(1);
        assertThat(row.path("rate").asDouble()).isEqualTo(0.0);
    }

    /** Waits for the job of a webhook's answer to be DONE. */
    private static void review(HttpResponse<String> delivered) throws Exception {
        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(202);
        String jobId = JSON.readTree(delivered.body()).path("jobId").asText();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> call("GET", "/api/jobs/" + jobId, null, 200).path("status").asText(),
                        s -> s.equals("DONE") || s.equals("FAILED"));
        assertThat(call("GET", "/api/jobs/" + jobId, null, 200).path("status").asText()).isEqualTo("DONE");
    }

    // Gitea's issue_comment payload for a comment on a pull request (IssueCommentPayload, is_pull true)
    private static String comment(long id, String login, String body) throws Exception {
        return JSON.writeValueAsString(Map.of("action", "created",
                "issue", Map.of("id", 500, "number", 5, "state", "open", "title", "Guide",
                        "pull_request", Map.of("merged", false), "user", Map.of("id", 1, "login", "octocat")),
                "comment", Map.of("id", id, "body", body, "user", Map.of("id", id, "login", login)),
                "repository", Map.of("full_name", REPOSITORY, "name", "reactions", "owner", Map.of("login", "acme"),
                        "default_branch", "main"),
                "sender", Map.of("id", id, "login", login),
                "is_pull", true));
    }

    private static HttpResponse<String> deliver(String body) throws Exception {
        return GiteaFake.deliverComment(HTTP, scanner(), registered, UUID.randomUUID().toString(), body);
    }

    private static JsonNode call(String method, String path, Object body, int expected) throws Exception {
        return StackCalls.call(HTTP, work.resolve("data"), scanner(), method, path, body, expected);
    }

    private static URI scanner() {
        StackState state = new StateFile(work.resolve("data").resolve("stack.json")).read().orElseThrow();
        return URI.create(state.service(ServiceKind.SCANNER).orElseThrow().url());
    }
}
