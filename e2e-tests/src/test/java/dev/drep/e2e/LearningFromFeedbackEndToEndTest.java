package dev.drep.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, items 3 and 4, through the four real services of a {@code drep up} stack and a fake Gitea: a maintainer's
 * reply in the thread of drep's inline finding ("This is intentional: ...") justifies it — the next review of that pull
 * request lists it as justified and does not comment on it again — and, with {@code suppress-after} 1, the rule is not
 * commented on in the next review of another pull request of the repository; the learning is listed by
 * {@code GET /api/repositories/{id}/learnings} and exported as {@code .drep.yaml} lines.
 */
class LearningFromFeedbackEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String REPOSITORY = "acme/feedback";
    private static final String API = "/api/v1/repos/" + REPOSITORY;
    private static final String RULE = "md.trailing-whitespace";

    @TempDir
    static Path work;
    private static GiteaFake gitea;
    private static Drep drep;
    private static JsonNode registered;
    private static String base;
    private static String head;
    private static String other;

    @BeforeAll
    static void startGiteaStackAndRepository() throws Exception {
        Path origin = work.resolve("origin");
        try (TestRepository repo = TestRepository.init(origin)) {
            repo.write("docs/guide.md", "# Guide\n\nSome text.\n");
            base = repo.commit("base");
            repo.write("docs/guide.md", "# Guide\n\nSome text.\nA trailing space \n");
            head = repo.commit("head");
            repo.write("docs/other.md", "# Other\n\nMore text \n");
            other = repo.commit("other");
        }
        GiteaFake.openPullRequest(origin, 6, base, other);
        GiteaFake.openPullRequest(origin, 5, base, head);
        gitea = GiteaFake.start(REPOSITORY);
        gitea.server().stubFor(get(urlPathEqualTo(API + "/collaborators/maintainer/permission"))
                .willReturn(okJson("{\"permission\":\"write\",\"role_name\":\"write\"}")));
        gitea.server().stubFor(get(urlPathEqualTo(API + "/collaborators/visitor/permission"))
                .willReturn(okJson("{\"permission\":\"read\",\"role_name\":\"read\"}")));
        gitea.server().stubFor(get(urlPathEqualTo(API + "/pulls/5")).willReturn(okJson(JSON.writeValueAsString(Map.of(
                "number", 5, "state", "open", "user", Map.of("login", "octocat"),
                "base", Map.of("ref", "main", "sha", base), "head", Map.of("ref", "feature-5", "sha", head))))));

        Map<String, String> variables = new HashMap<>(gitea.stackVariables("feedback-e2e-webhook-key-0123456789abcdef"));
        variables.put("DREP_PUBLISHER_LEARNINGS_SUPPRESS_AFTER", "1");
        drep = new Drep(work.resolve("data"), variables);
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
    void aJustifiedFindingIsNotRaisedAgainAndItsRuleIsNotPostedInTheNextReviewOfTheRepository() throws Exception {
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

        // 2. Gitea now shows drep's review and a reply on the same line (its API: reviews, then their comments)
        int line = comment.path("new_position").asInt();
        gitea.server().stubFor(get(urlPathEqualTo(API + "/pulls/5/reviews")).willReturn(okJson(JSON.writeValueAsString(
                List.of(Map.of("id", 90, "body", posted.path("body").asText()), Map.of("id", 91, "body", ""))))));
        gitea.server().stubFor(get(urlPathEqualTo(API + "/pulls/5/reviews/90/comments")).willReturn(okJson(
                JSON.writeValueAsString(List.of(Map.of("id", 901, "path", "docs/guide.md", "position", line,
                        "body", comment.path("body").asText()))))));
        gitea.server().stubFor(get(urlPathEqualTo(API + "/pulls/5/reviews/91/comments")).willReturn(okJson(
                JSON.writeValueAsString(List.of(
                        Map.of("id", 911, "path", "docs/guide.md", "position", line, "body", "intentional"),
                        Map.of("id", 912, "path", "docs/guide.md", "position", line, "body", "visitor"))))));

        // a visitor's justification does not count; the maintainer's does
        HttpResponse<String> visitor = deliver(comment(912, "visitor", "This is intentional, trust me."));
        assertThat(visitor.statusCode()).as(visitor.body()).isEqualTo(200);
        assertThat(JSON.readTree(visitor.body()).path("status").asText()).isEqualTo("ignored");
        HttpResponse<String> maintainer = deliver(comment(911, "maintainer",
                "This is intentional: two trailing spaces would be a line break, one is a typo we keep for the test."));
        assertThat(maintainer.statusCode()).as(maintainer.body()).isEqualTo(200);
        assertThat(JSON.readTree(maintainer.body()).path("status").asText()).isEqualTo("justified");

        JsonNode learnings = call("GET", "/api/repositories/" + registered.path("id").asText() + "/learnings", null, 200);
        assertThat(learnings.path("learnings")).hasSize(1);
        assertThat(learnings.path("learnings").get(0).path("author").asText()).isEqualTo("maintainer");
        assertThat(learnings.path("learnings").get(0).path("rule").asText()).isEqualTo(RULE);
        assertThat(text("/api/repositories/" + registered.path("id").asText() + "/learnings?format=drep-yaml"))
                .contains("suppress-rules:\n  - \"" + RULE + "\"");

        // 3. pull request 6 of the same repository: the rule is no longer commented on, the summary says why
        review(gitea.deliverPullRequestOpened(HTTP, scanner(), registered, 6, base, other));
        assertThat(gitea.server().findAll(postRequestedFor(urlPathEqualTo(API + "/pulls/6/reviews"))))
                .extracting(LoggedRequest::getBodyAsString).noneMatch(body -> body.contains(RULE));
        List<LoggedRequest> summaries6 = gitea.server().findAll(postRequestedFor(urlPathEqualTo(API + "/issues/6/comments")));
        assertThat(summaries6).extracting(LoggedRequest::getBodyAsString)
                .anyMatch(body -> body.contains("rule suppressed in this repository: 1 of its findings were justified"));

        // 4. pull request 5 reviewed again (/drep review): the justified finding is listed as such, not commented on
        gitea.server().resetRequests();
        HttpResponse<String> again = deliver(comment(913, "maintainer", "/drep review"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        review(again);
        assertThat(gitea.server().findAll(postRequestedFor(urlPathEqualTo(API + "/pulls/5/reviews")))).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> gitea.server()
                .findAll(patchRequestedFor(urlPathMatching(API + "/issues/comments/[0-9]+"))).stream()
                .anyMatch(r -> r.getBodyAsString().contains("- justified: `docs/guide.md:" + line + "` `" + RULE
                        + "`, by `maintainer`")));
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
                "repository", Map.of("full_name", REPOSITORY, "name", "feedback", "owner", Map.of("login", "acme"),
                        "default_branch", "main"),
                "sender", Map.of("id", id, "login", login),
                "is_pull", true));
    }

    private static HttpResponse<String> deliver(String body) throws Exception {
        return GiteaFake.deliverComment(HTTP, scanner(), registered, UUID.randomUUID().toString(), body);
    }

    private static String text(String path) throws Exception {
        String token = Files.readString(work.resolve("data").resolve("admin-token")).strip();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(scanner().resolve(path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static JsonNode call(String method, String path, Object body, int expected) throws Exception {
        return StackCalls.call(HTTP, work.resolve("data"), scanner(), method, path, body, expected);
    }

    private static URI scanner() {
        StackState state = new StateFile(work.resolve("data").resolve("stack.json")).read().orElseThrow();
        return URI.create(state.service(ServiceKind.SCANNER).orElseThrow().url());
    }

}
