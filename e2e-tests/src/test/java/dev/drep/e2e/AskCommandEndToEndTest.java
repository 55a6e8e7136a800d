package dev.drep.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
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
import dev.drep.testsupport.llm.RecordedRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * Issue 17, {@code /drep ask}, through the four real services of a {@code drep up} stack, a fake Gitea (WireMock,
 * the documented API v1) and a fake LLM provider: a question delivered twice is one model call through the gateway,
 * accounted to the repository in the gateway's ledger, and one answer in the pull request's conversation, with the
 * model's mention made harmless.
 */
class AskCommandEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String REPOSITORY = "acme/questions";
    private static final int PULL_REQUEST = 6;
    private static final String COMMENTS = "/api/v1/repos/" + REPOSITORY + "/issues/" + PULL_REQUEST + "/comments";
    private static final String API_KEY = "sk-ask-e2e";

    @TempDir
    static Path work;
    private static WireMockServer gitea;
    private static FakeLlmServer llm;
    private static Drep drep;
    private static JsonNode registered;

    @BeforeAll
    static void startGiteaLlmStackAndRepository() throws Exception {
        Path origin = work.resolve("origin");
        String base;
        String head;
        try (TestRepository repo = TestRepository.init(origin)) {
            repo.write("docs/guide.md", "# Guide\n\nSome text.\n");
            base = repo.commit("base");
            repo.write("docs/guide.md", "# Guide\n\nSome text.\nA line about retries.\n");
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
        gitea.stubFor(get(urlPathEqualTo(repo + "/pulls/" + PULL_REQUEST)).willReturn(okJson(JSON.writeValueAsString(Map.of(
                "number", PULL_REQUEST, "state", "open", "user", Map.of("login", "octocat"),
                "base", Map.of("ref", "main", "sha", base), "head", Map.of("ref", "feature", "sha", head))))));
        gitea.stubFor(get(urlPathEqualTo(COMMENTS)).willReturn(okJson(JSON.writeValueAsString(List.of(Map.of("id", 7,
                "body", "Is the retry count configurable?", "user", Map.of("login", "reviewer")))))));
        gitea.stubFor(post(urlPathEqualTo(COMMENTS)).willReturn(okJson("{\"id\":2,\"body\":\"\"}").withStatus(201)));

        llm = FakeLlmServer.start().expectApiKey(API_KEY)
                .answer("It is not configurable yet, @reviewer: the guide only mentions retries.");
        drep = new Drep(work.resolve("data"), Map.of(
                "DREP_SCANNER_WEBHOOK_SECRET_KEY", "ask-e2e-webhook-key-0123456789abcdef0123",
                "DREP_GITEA_URL", gitea.baseUrl(),
                "DREP_GITEA_TOKEN", "gitea-e2e-token",
                "DREP_PLATFORM_ACCESS_ALLOW_FILE_URLS", "true",
                "DREP_PLATFORM_ACCESS_ALLOW_PLAIN_HTTP", "true",
                "DREP_PLATFORM_ACCESS_ALLOW_PRIVATE_ADDRESSES", "true",
                "DREP_LLM_BASE_URL", llm.baseUrl(),
                "DREP_LLM_MODEL", FakeLlmServer.DEFAULT_MODEL,
                "DREP_LLM_API_KEY", API_KEY));
        Drep.Run up = drep.run(work, "up", "--free-ports");
        assertThat(up.exitCode()).as("drep up: %s%n%s", up.out(), up.err()).isZero();
        registered = call(ServiceKind.SCANNER, "POST", "/api/repositories", Map.of("platform", "gitea", "fullName",
                REPOSITORY, "cloneUrl", origin.toUri().toString(), "apiUrl", gitea.baseUrl() + "/api/v1", "tokenRef",
                "gitea-token"), 201);
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
    void aQuestionDeliveredTwiceIsOneModelCallAccountedToTheRepositoryAndOneAnswer() throws Exception {
        String comment = comment(301, "maintainer", "/drep ask can the number of retries be changed?");

        HttpResponse<String> first = deliver(UUID.randomUUID().toString(), comment);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(deliver(UUID.randomUUID().toString(), comment).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).until(() -> answers().size() == 1);
        String answer = JSON.readTree(answers().get(0).getBodyAsString()).path("body").asText();
        assertThat(answer).startsWith("@maintainer,\n\nIt is not configurable yet, `@reviewer`: the guide only mentions "
                + "retries.").contains("written by a model").contains("<!-- drep:reply:");
        assertThat(llm.chatRequests()).hasSize(1);
        RecordedRequest call = llm.chatRequests().get(0);
        assertThat(call.body()).contains("can the number of retries be changed?", "+A line about retries.",
                "reviewer wrote:\\nIs the retry count configurable?");
        JsonNode usage = call(ServiceKind.LLM_GATEWAY, "GET", "/api/usage?repository="
                + URLEncoder.encode(REPOSITORY, StandardCharsets.UTF_8), null, 200);
        assertThat(usage.path("totals").path("requests").asLong()).as("the question, in the ledger of %s", REPOSITORY)
                .isEqualTo(1);
        Thread.sleep(1000); // a second answer would have been posted by now
        assertThat(answers()).hasSize(1);
    }

    private static List<LoggedRequest> answers() {
        return gitea.findAll(postRequestedFor(urlPathEqualTo(COMMENTS)).withRequestBody(containing("@maintainer")));
    }

    // Gitea's issue_comment payload for a comment on a pull request (IssueCommentPayload, is_pull true)
    private static String comment(long id, String login, String body) throws Exception {
        return JSON.writeValueAsString(Map.of("action", "created",
                "issue", Map.of("id", 600, "number", PULL_REQUEST, "state", "open", "title", "Guide",
                        "pull_request", Map.of("merged", false), "user", Map.of("id", 1, "login", "octocat")),
                "comment", Map.of("id", id, "body", body, "user", Map.of("id", id, "login", login)),
                "repository", Map.of("full_name", REPOSITORY, "name", "questions", "owner", Map.of("login", "acme"),
                        "default_branch", "main"),
                "sender", Map.of("id", id, "login", login),
                "is_pull", true));
    }

    private static HttpResponse<String> deliver(String delivery, String body) throws Exception {
        return GiteaFake.deliverComment(HTTP, url(ServiceKind.SCANNER), registered, delivery, body);
    }

    private static JsonNode call(ServiceKind service, String method, String path, Object body, int expected)
            throws Exception {
        return StackCalls.call(HTTP, work.resolve("data"), url(service), method, path, body, expected);
    }

    private static URI url(ServiceKind service) {
        StackState state = new StateFile(work.resolve("data").resolve("stack.json")).read().orElseThrow();
        return URI.create(state.service(service).orElseThrow().url());
    }

}
