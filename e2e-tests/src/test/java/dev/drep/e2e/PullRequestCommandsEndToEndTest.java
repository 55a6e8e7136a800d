package dev.drep.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.launcher.stack.ServiceKind;
import dev.drep.launcher.stack.StackState;
import dev.drep.launcher.stack.StateFile;
import dev.drep.testsupport.git.TestRepository;
import dev.drep.testsupport.llm.FakeLlmServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefUpdate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, commands in comments, through the four real services of a {@code drep up} stack and a fake Gitea
 * (WireMock, answering the documented API v1): a signed {@code issue_comment} webhook saying {@code /drep review},
 * delivered three times, becomes one full review and one answer in the pull request; a command from someone without
 * write access gets one polite refusal and runs nothing; {@code /drep describe} (on a second repository) writes the
 * walkthrough, asked of a fake model through the real gateway, into the pull request's description once.
 */
class PullRequestCommandsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String REPOSITORY = "acme/commands";
    private static final int PULL_REQUEST = 5;
    private static final String COMMENTS = "/api/v1/repos/" + REPOSITORY + "/issues/" + PULL_REQUEST + "/comments";

    @TempDir
    static Path work;
    private static WireMockServer gitea;
    private static Drep drep;
    private static JsonNode registered;
    private static String base;
    private static String head;
    private static FakeLlmServer llm;
    private static JsonNode described;
    private static final String DESCRIBED = "acme/described";
    private static final int DESCRIBED_PULL = 6;
    private static final String PAUSED = "acme/paused";

    @BeforeAll
    static void startGiteaStackAndRepository() throws Exception {
        Path origin = work.resolve("origin");
        try (TestRepository repo = TestRepository.init(origin)) {
            repo.write("docs/guide.md", "# Guide\n\nSome text.\n");
            base = repo.commit("base");
            repo.write("docs/guide.md", "# Guide\n\nSome text.\nA trailing space \n");
            head = repo.commit("head");
        }
        try (Git git = Git.open(origin.toFile())) {
            RefUpdate pull = git.getRepository().updateRef("refs/pull/" + PULL_REQUEST + "/head");
            pull.setNewObjectId(git.getRepository().resolve(head));
            pull.forceUpdate();
            RefUpdate main = git.getRepository().updateRef("refs/heads/main");
            main.setNewObjectId(git.getRepository().resolve(base));
            main.forceUpdate();
        }

        gitea = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        gitea.start();
        String repo = "/api/v1/repos/" + REPOSITORY;
        gitea.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"not found\"}")));
        gitea.stubFor(get(urlPathEqualTo("/api/v1/version")).willReturn(okJson("{\"version\":\"1.21.4\"}")));
        gitea.stubFor(get(urlPathEqualTo(repo + "/collaborators/maintainer/permission"))
                .willReturn(okJson("{\"permission\":\"write\",\"role_name\":\"write\"}")));
        gitea.stubFor(get(urlPathEqualTo(repo + "/collaborators/visitor/permission"))
                .willReturn(okJson("{\"permission\":\"read\",\"role_name\":\"read\"}")));
        gitea.stubFor(get(urlPathEqualTo(repo + "/pulls/" + PULL_REQUEST)).willReturn(okJson(JSON.writeValueAsString(Map.of(
                "number", PULL_REQUEST, "state", "open", "user", Map.of("login", "octocat"),
                "base", Map.of("ref", "main", "sha", base), "head", Map.of("ref", "feature", "sha", head))))));
        gitea.stubFor(get(urlPathEqualTo(COMMENTS)).willReturn(okJson("[]")));
        gitea.stubFor(get(urlPathEqualTo(repo + "/pulls/" + PULL_REQUEST + "/reviews")).willReturn(okJson("[]")));
        gitea.stubFor(post(urlPathEqualTo(COMMENTS)).willReturn(okJson("{\"id\":2,\"body\":\"\"}").withStatus(201)));
        gitea.stubFor(post(urlPathMatching(repo + "/statuses/[0-9a-f]{40}")).willReturn(okJson("{\"id\":1}").withStatus(201)));
        gitea.stubFor(post(urlPathEqualTo(repo + "/pulls/" + PULL_REQUEST + "/reviews"))
                .willReturn(okJson("{\"id\":3}").withStatus(200)));

        String other = "/api/v1/repos/" + DESCRIBED;
        gitea.stubFor(get(urlPathEqualTo(other + "/collaborators/maintainer/permission"))
                .willReturn(okJson("{\"permission\":\"write\",\"role_name\":\"write\"}")));
        gitea.stubFor(get(urlPathEqualTo(other + "/pulls/" + DESCRIBED_PULL)).willReturn(okJson(JSON.writeValueAsString(
                Map.of("number", DESCRIBED_PULL, "state", "open", "user", Map.of("login", "octocat"), "title", "Guide",
                        "body", "The author's own words.", "base", Map.of("ref", "main", "sha", base),
                        "head", Map.of("ref", "feature", "sha", head))))));
        gitea.stubFor(patch(urlPathEqualTo(other + "/pulls/" + DESCRIBED_PULL)).willReturn(okJson("{\"number\":6}")));
        gitea.stubFor(get(urlPathMatching(other + "/(issues/6/comments|pulls/6/reviews)")).willReturn(okJson("[]")));
        gitea.stubFor(post(urlPathEqualTo(other + "/issues/6/comments")).willReturn(okJson("{\"id\":7,\"body\":\"\"}")
                .withStatus(201)));
        gitea.stubFor(post(urlPathMatching(other + "/statuses/[0-9a-f]{40}")).willReturn(okJson("{\"id\":1}").withStatus(201)));
        gitea.stubFor(post(urlPathEqualTo(other + "/pulls/6/reviews")).willReturn(okJson("{\"id\":3}").withStatus(200)));
        try (Git git = Git.open(origin.toFile())) {
            RefUpdate pull = git.getRepository().updateRef("refs/pull/" + DESCRIBED_PULL + "/head");
            pull.setNewObjectId(git.getRepository().resolve(head));
            pull.forceUpdate();
        }
        // the model: a walkthrough for the describe call, no findings for the review's
        llm = FakeLlmServer.start().answer(request -> request.messages().get(0).content().contains("walkthrough")
                ? "{\"summary\": \"Adds a line to the guide. @everyone\", \"files\": [{\"path\": \"docs/guide.md\","
                        + " \"line\": \"One more line of text.\"}]}"
                : "{\"findings\": []}");

        drep = new Drep(work.resolve("data"), Map.of(
                "DREP_LLM_BASE_URL", llm.baseUrl(),
                "DREP_LLM_MODEL", FakeLlmServer.DEFAULT_MODEL,
                "DREP_SCANNER_WEBHOOK_SECRET_KEY", "commands-e2e-webhook-key-0123456789abcdef",
                "DREP_GITEA_URL", gitea.baseUrl(),
                "DREP_GITEA_TOKEN", "gitea-e2e-token",
                "DREP_PLATFORM_ACCESS_ALLOW_FILE_URLS", "true",
                "DREP_PLATFORM_ACCESS_ALLOW_PLAIN_HTTP", "true",
                "DREP_PLATFORM_ACCESS_ALLOW_PRIVATE_ADDRESSES", "true"));
        Drep.Run up = drep.run(work, "up", "--free-ports");
        assertThat(up.exitCode()).as("drep up: %s%n%s", up.out(), up.err()).isZero();
        registered = call("POST", "/api/repositories", Map.of("platform", "gitea", "fullName", REPOSITORY,
                "cloneUrl", origin.toUri().toString(), "apiUrl", gitea.baseUrl() + "/api/v1", "tokenRef", "gitea-token"), 201);
        described = call("POST", "/api/repositories", Map.of("platform", "gitea", "fullName", DESCRIBED,
                "cloneUrl", origin.toUri().toString(), "apiUrl", gitea.baseUrl() + "/api/v1", "tokenRef", "gitea-token"), 201);
    }

    @AfterAll
    static void stop() {
        if (drep != null) {
            drep.run(work, "down");
        }
        if (gitea != null) {
            gitea.stop();
        }
        if (llm != null) {
            llm.close();
        }
    }

    @Test
    void drepReviewDeliveredThreeTimesIsOneFullReviewAndOneAnswer() throws Exception {
        String comment = comment(101, "maintainer", "Thanks!\n/drep review");
        String delivery = UUID.randomUUID().toString();

        HttpResponse<String> first = deliver(delivery, comment);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String jobId = JSON.readTree(first.body()).path("jobId").asText();
        // Gitea retrying, and someone pressing "redeliver" (a new delivery id for the same comment)
        assertThat(deliver(delivery, comment).statusCode()).isEqualTo(200);
        assertThat(deliver(UUID.randomUUID().toString(), comment).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> call("GET", "/api/jobs/" + jobId, null, 200).path("status").asText(), s -> s.equals("DONE"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !commentsContaining("<!-- drep:summary -->").isEmpty());
        // the other test's refusal is on the same pull request: the maintainer's answers only
        List<LoggedRequest> answers = commentsContaining("<!-- drep:reply:").stream()
                .filter(r -> r.getBodyAsString().contains("@maintainer")).toList();
        assertThat(answers).hasSize(1);
        assertThat(JSON.readTree(answers.get(0).getBodyAsString()).path("body").asText())
                .startsWith("@maintainer, reviewing `" + head.substring(0, 12) + "` again").contains(jobId);
        JsonNode jobs = call("GET", "/api/jobs?repository=" + registered.path("id").asText(), null, 200);
        assertThat(jobs.findValuesAsText("id")).containsExactly(jobId);
    }

    @Test
    void aCommandFromSomeoneWithoutWriteAccessGetsOneRefusal() throws Exception {
        String comment = comment(102, "visitor", "/drep pause");

        HttpResponse<String> answer = deliver(UUID.randomUUID().toString(), comment);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> commentsContaining("@visitor").size() == 1);
        assertThat(JSON.readTree(commentsContaining("@visitor").get(0).getBodyAsString()).path("body").asText())
                .startsWith("@visitor, only people with write access to " + REPOSITORY);
    }

    @Test
    void drepDescribeWritesTheWalkthroughIntoTheDescriptionOnceAndCountsItsTokens() throws Exception {
        String comment = comment(201, "maintainer", "/drep describe").replace("\"" + REPOSITORY + "\"", "\"" + DESCRIBED + "\"")
                .replace("\"number\":" + PULL_REQUEST, "\"number\":" + DESCRIBED_PULL);
        String delivery = UUID.randomUUID().toString();

        HttpResponse<String> first = deliver(described, delivery, comment);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String jobId = JSON.readTree(first.body()).path("jobId").asText();
        assertThat(deliver(described, UUID.randomUUID().toString(), comment).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> call("GET", "/api/jobs/" + jobId, null, 200).path("status").asText(), s -> s.equals("DONE"));
        String pull = "/api/v1/repos/" + DESCRIBED + "/pulls/" + DESCRIBED_PULL;
        await().atMost(Duration.ofSeconds(30)).until(() -> !gitea.findAll(patchRequestedFor(urlPathEqualTo(pull))).isEmpty());
        List<LoggedRequest> writes = gitea.findAll(patchRequestedFor(urlPathEqualTo(pull)));
        assertThat(writes).hasSize(1);
        String description = JSON.readTree(writes.get(0).getBodyAsString()).path("body").asText();
        assertThat(description).startsWith("The author's own words.\n\n<!-- drep:walkthrough:start -->\n### Walkthrough")
                .contains("Adds a line to the guide. `@everyone`").contains("- `docs/guide.md`: One more line of text.")
                .endsWith("<!-- drep:walkthrough:end -->");
        String comments = "/api/v1/repos/" + DESCRIBED + "/issues/" + DESCRIBED_PULL + "/comments";
        List<LoggedRequest> answers = gitea.findAll(postRequestedFor(urlPathEqualTo(comments))
                .withRequestBody(containing("<!-- drep:reply:")));
        assertThat(answers).hasSize(1);
        assertThat(JSON.readTree(answers.get(0).getBodyAsString()).path("body").asText())
                .startsWith("@maintainer, writing the walkthrough of `" + head.substring(0, 12) + "`").contains(jobId);
        assertThat(gitea.findAll(postRequestedFor(urlPathEqualTo(comments)).withRequestBody(containing("### Walkthrough"))))
                .isNotEmpty();
        // the model was asked (the other test's review asks too: caches are off in these tests)
        assertThat(llm.chatRequests().stream().filter(r -> r.messages().get(0).content().contains("walkthrough")))
                .isNotEmpty();
        JsonNode job = call("GET", "/api/jobs/" + jobId, null, 200);
        assertThat(job.toString()).as("the job's LLM usage counts the walkthrough call").containsPattern(
                "\"llmCalls\":[1-9]");
    }

    @Test
    void drepPauseStopsThePushReviewsOfItsPullRequestUntilDrepResumeAndDrepHelpListsTheCommands() throws Exception {
        // a repository of its own: the other tests count the jobs and answers of theirs
        int pull = 8;
        GiteaFake.openPullRequest(work.resolve("origin"), pull, base, head);
        String api = "/api/v1/repos/" + PAUSED;
        gitea.stubFor(get(urlPathEqualTo(api + "/collaborators/maintainer/permission"))
                .willReturn(okJson("{\"permission\":\"write\",\"role_name\":\"write\"}")));
        gitea.stubFor(get(urlPathEqualTo(api + "/pulls/" + pull)).willReturn(okJson(JSON.writeValueAsString(Map.of(
                "number", pull, "state", "open", "user", Map.of("login", "octocat"),
                "base", Map.of("ref", "main", "sha", base), "head", Map.of("ref", "feature-8", "sha", head))))));
        String comments = api + "/issues/" + pull + "/comments";
        gitea.stubFor(get(urlPathMatching(api + "/(issues/8/comments|pulls/8/reviews)")).willReturn(okJson("[]")));
        gitea.stubFor(post(urlPathEqualTo(comments)).willReturn(okJson("{\"id\":9,\"body\":\"\"}").withStatus(201)));
        gitea.stubFor(post(urlPathEqualTo(api + "/pulls/" + pull + "/reviews")).willReturn(okJson("{\"id\":4}")));
        gitea.stubFor(post(urlPathMatching(api + "/statuses/[0-9a-f]{40}")).willReturn(okJson("{\"id\":1}").withStatus(201)));
        JsonNode paused = call("POST", "/api/repositories", Map.of("platform", "gitea", "fullName", PAUSED,
                "cloneUrl", work.resolve("origin").toUri().toString(), "apiUrl", gitea.baseUrl() + "/api/v1",
                "tokenRef", "gitea-token"), 201);
        String jobs = "/api/jobs?repository=" + paused.path("id").asText();

        String pause = onPull(pull, comment(301, "maintainer", "/drep pause"));
        String delivery = UUID.randomUUID().toString();
        assertThat(deliver(paused, delivery, pause).statusCode()).isEqualTo(200);
        // Gitea retrying: the comment is answered once
        assertThat(deliver(paused, delivery, pause).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> repliesOn(comments).size() == 1);
        assertThat(repliesOn(comments).get(0)).startsWith("@maintainer, automatic reviews of this pull request are paused");

        // a push to the paused pull request: no review
        HttpResponse<String> pushedWhilePaused = GiteaFake.deliver(HTTP, scanner(), paused, "pull_request",
                "pull_request", UUID.randomUUID().toString(), pushed(pull));
        assertThat(pushedWhilePaused.statusCode()).as(pushedWhilePaused.body()).isEqualTo(200);
        assertThat(pushedWhilePaused.body()).contains("are paused (/drep pause by maintainer)");
        assertThat(call("GET", jobs, null, 200).findValuesAsText("id")).isEmpty();

        deliver(paused, UUID.randomUUID().toString(), onPull(pull, comment(302, "maintainer", "/drep resume")));
        await().atMost(Duration.ofSeconds(30)).until(() -> repliesOn(comments).size() == 2);
        assertThat(repliesOn(comments).get(1)).startsWith("@maintainer, automatic reviews of this pull request are on again");
        HttpResponse<String> reviewed = GiteaFake.deliver(HTTP, scanner(), paused, "pull_request", "pull_request",
                UUID.randomUUID().toString(), pushed(pull));
        assertThat(reviewed.statusCode()).as(reviewed.body()).isEqualTo(202);
        String jobId = JSON.readTree(reviewed.body()).path("jobId").asText();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> call("GET", "/api/jobs/" + jobId, null, 200).path("status").asText(), s -> s.equals("DONE"));

        deliver(paused, UUID.randomUUID().toString(), onPull(pull, comment(303, "maintainer", "/drep help")));
        await().atMost(Duration.ofSeconds(30)).until(() -> repliesOn(comments).size() == 3);
        assertThat(repliesOn(comments).get(2)).contains("`/drep review`", "`/drep describe`", "`/drep ask`",
                "`/drep pause`", "`/drep resume`", "`/drep help`");
    }

    /** The texts of drep's answers to commands on a pull request's conversation, oldest first. */
    private static List<String> repliesOn(String comments) {
        return gitea.findAll(postRequestedFor(urlPathEqualTo(comments)).withRequestBody(containing("<!-- drep:reply:")))
                .stream().map(r -> {
                    try {
                        return JSON.readTree(r.getBodyAsString()).path("body").asText();
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }

    /** A comment payload moved to pull request {@code number} of {@link #PAUSED}. */
    private static String onPull(int number, String comment) {
        return comment.replace("\"number\":" + PULL_REQUEST, "\"number\":" + number)
                .replace("\"" + REPOSITORY + "\"", "\"" + PAUSED + "\"");
    }

    // what Gitea sends when a pull request of PAUSED gets a push (the fields the scanner reads)
    private static String pushed(int number) throws Exception {
        Map<String, Object> repo = Map.of("full_name", PAUSED, "name", "paused", "owner", Map.of("login", "acme"),
                "default_branch", "main", "private", true);
        return JSON.writeValueAsString(Map.of("action", "synchronized", "number", number,
                "pull_request", Map.of("number", number, "state", "open", "merged", false,
                        "head", Map.of("ref", "feature-8", "sha", head, "repo", Map.of("full_name", PAUSED)),
                        "base", Map.of("ref", "main", "sha", base, "repo", Map.of("full_name", PAUSED)),
                        "user", Map.of("login", "octocat")),
                "repository", repo, "sender", Map.of("login", "octocat")));
    }

    private static List<LoggedRequest> commentsContaining(String text) {
        return gitea.findAll(postRequestedFor(urlPathEqualTo(COMMENTS)).withRequestBody(containing(text)));
    }

    // Gitea's issue_comment payload for a comment on a pull request (IssueCommentPayload, is_pull true)
    private static String comment(long id, String login, String body) throws Exception {
        return JSON.writeValueAsString(Map.of("action", "created",
                "issue", Map.of("id", 500, "number", PULL_REQUEST, "state", "open", "title", "Guide",
                        "pull_request", Map.of("merged", false), "user", Map.of("id", 1, "login", "octocat")),
                "comment", Map.of("id", id, "body", body, "user", Map.of("id", id, "login", login)),
                "repository", Map.of("full_name", REPOSITORY, "name", "commands", "owner", Map.of("login", "acme"),
                        "default_branch", "main"),
                "sender", Map.of("id", id, "login", login),
                "is_pull", true));
    }

    private static HttpResponse<String> deliver(String delivery, String body) throws Exception {
        return deliver(registered, delivery, body);
    }

    private static HttpResponse<String> deliver(JsonNode registered, String delivery, String body) throws Exception {
        return GiteaFake.deliverComment(HTTP, scanner(), registered, delivery, body);
    }

    private static JsonNode call(String method, String path, Object body, int expected) throws Exception {
        return StackCalls.call(HTTP, work.resolve("data"), scanner(), method, path, body, expected);
    }

    private static URI scanner() {
        StackState state = new StateFile(work.resolve("data").resolve("stack.json")).read().orElseThrow();
        return URI.create(state.service(ServiceKind.SCANNER).orElseThrow().url());
    }

}
