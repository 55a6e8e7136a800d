package dev.drep.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefUpdate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "every job ends": a pull request job whose work nobody takes ends FAILED at its deadline, and the pull
 * request hears of it once — through the four real services of a {@code drep up} stack and a fake Gitea (WireMock,
 * answering the documented API) that counts what it receives.
 *
 * <p>The work is lost by giving the analyzer nothing it can consume: its process is stopped (SIGSTOP) before the
 * webhook arrives, so the job's units wait on the broker, unacknowledged and untaken, while the stack's supervisor
 * sees a live process. The scanner's deadline is 20 s in this stack ({@code DREP_SCANNER_JOBS_DEADLINE}), watched
 * every second. The platform allowances (file: clone URL, plain http, loopback) are what a test on one machine needs,
 * as in the services' own tests.
 */
class LostWorkEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String REPOSITORY = "acme/lost";
    private static final String DEADLINE = "20s";
    private static final int PULL_REQUEST = 7;

    @TempDir
    static Path work;
    private static WireMockServer gitea;
    private static Drep drep;
    private static long stoppedAnalyzer;

    @BeforeAll
    static void startGiteaAndStack() {
        gitea = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        gitea.start();
        gitea.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"not found\"}")));
        gitea.stubFor(post(urlPathMatching("/api/v1/repos/acme/lost/statuses/[0-9a-f]{40}"))
                .willReturn(okJson("{\"id\":1}").withStatus(201)));
        gitea.stubFor(post(urlPathMatching("/api/v1/repos/acme/lost/issues/" + PULL_REQUEST + "/comments"))
                .willReturn(okJson("{\"id\":2}").withStatus(201)));
        gitea.stubFor(post(urlPathMatching("/api/v1/repos/acme/lost/pulls/" + PULL_REQUEST + "/reviews"))
                .willReturn(okJson("{\"id\":3}").withStatus(200)));

        drep = new Drep(work.resolve("data"), Map.of(
                "DREP_SCANNER_JOBS_DEADLINE", DEADLINE,
                "DREP_SCANNER_JOBS_WATCH_INTERVAL", "1s",
                "DREP_SCANNER_WEBHOOK_SECRET_KEY", "lost-work-e2e-webhook-key-0123456789abcdef",
                "DREP_GITEA_URL", gitea.baseUrl(),
                "DREP_GITEA_TOKEN", "gitea-e2e-token",
                "DREP_PLATFORM_ACCESS_ALLOW_FILE_URLS", "true",
                "DREP_PLATFORM_ACCESS_ALLOW_PLAIN_HTTP", "true",
                "DREP_PLATFORM_ACCESS_ALLOW_PRIVATE_ADDRESSES", "true"));
        Drep.Run up = drep.run(work, "up", "--free-ports");
        assertThat(up.exitCode()).as("drep up: %s%n%s", up.out(), up.err()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stoppedAnalyzer != 0) {
            signal("CONT", stoppedAnalyzer);
        }
        if (drep != null) {
            drep.run(work, "down");
        }
        if (gitea != null) {
            gitea.stop();
        }
    }

    @Test
    void aPullRequestJobWhoseWorkNobodyTakesFailsAtItsDeadlineAndThePullRequestGetsOneFailureStatus() throws Exception {
        Path origin = work.resolve("origin");
        String base;
        String head;
        try (TestRepository repo = TestRepository.init(origin)) {
            for (int i = 0; i < 20; i++) {
                repo.write("docs/page-" + i + ".md", "# Page " + i + "\n\nSome text.\n");
            }
            base = repo.commit("base");
            for (int i = 0; i < 20; i++) {
                repo.write("docs/page-" + i + ".md", "# Page " + i + "\n\nSome text.\nA trailing space \n");
            }
            head = repo.commit("head");
        }
        try (Git git = Git.open(origin.toFile())) {
            RefUpdate pull = git.getRepository().updateRef("refs/pull/" + PULL_REQUEST + "/head");
            pull.setNewObjectId(git.getRepository().resolve(head));
            assertThat(pull.forceUpdate()).isIn(RefUpdate.Result.NEW, RefUpdate.Result.FORCED);
            // the pull request's base branch, as the platform has it
            RefUpdate main = git.getRepository().updateRef("refs/heads/main");
            main.setNewObjectId(git.getRepository().resolve(base));
            main.forceUpdate();
        }
        JsonNode registered = call("POST", "/api/repositories", Map.of("platform", "gitea", "fullName", REPOSITORY,
                "cloneUrl", origin.toUri().toString(), "apiUrl", gitea.baseUrl() + "/api/v1", "tokenRef", "gitea-token"), 201);

        stoppedAnalyzer = service(ServiceKind.ANALYZER).pid();
        signal("STOP", stoppedAnalyzer);
        String body = JSON.writeValueAsString(pullRequestOpened(base, head));
        HttpResponse<String> delivered = HTTP.send(HttpRequest.newBuilder(
                        scanner().resolve(registered.path("webhook").path("path").asText()))
                .header("Content-Type", "application/json")
                .header("X-Gitea-Event", "pull_request").header("X-Gitea-Event-Type", "pull_request")
                .header("X-Gitea-Delivery", UUID.randomUUID().toString())
                .header("X-Gitea-Signature", hmacSha256Hex(registered.path("webhook").path("secret").asText(), body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(202);
        String jobId = JSON.readTree(delivered.body()).path("jobId").asText();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> "FAILED".equals(call("GET", "/api/jobs/" + jobId, null, 200).path("status").asText()));
        JsonNode job = call("GET", "/api/jobs/" + jobId, null, 200);
        assertThat(job.path("message").asText()).as("the job's reason")
                .startsWith("did not finish within " + DEADLINE + ": analysing, 0 of ").endsWith(" work units done");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> !failureStatuses().isEmpty());
        // the scanner reports until the publisher answered 204, every watch interval (1 s): five of them say nothing more
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(250))
                .until(() -> failureStatuses().size() == 1);

        List<LoggedRequest> failures = failureStatuses();
        assertThat(failures).as("failure statuses on the head commit").hasSize(1);
        assertThat(failures.get(0).getUrl()).endsWith("/statuses/" + head);
        JsonNode status = JSON.readTree(failures.get(0).getBodyAsString());
        assertThat(status.path("description").asText()).startsWith("drep did not finish within " + DEADLINE + ": analysing");
        assertThat(gitea.findAll(postRequestedFor(urlPathMatching(".*/statuses/.*"))))
                .as("statuses: pending when the plan was registered, then the failure")
                .extracting(r -> JSON.readTree(r.getBodyAsString()).path("state").asText()).containsExactly("pending", "failure");
        assertThat(gitea.findAll(postRequestedFor(urlPathMatching(".*/(comments|reviews)")))).as("no review was posted")
                .isEmpty();
    }

    private static List<LoggedRequest> failureStatuses() {
        return gitea.findAll(postRequestedFor(urlPathMatching(".*/statuses/.*"))
                .withRequestBody(matchingJsonPath("$.state", equalTo("failure"))));
    }

    // what Gitea sends when a pull request is opened (the fields the scanner reads)
    private static Map<String, Object> pullRequestOpened(String base, String head) {
        Map<String, Object> repository = Map.of("full_name", REPOSITORY, "name", "lost", "owner", Map.of("login", "acme"),
                "default_branch", "main", "private", true);
        return Map.of("action", "opened", "number", PULL_REQUEST,
                "pull_request", Map.of("number", PULL_REQUEST, "state", "open", "merged", false,
                        "head", Map.of("ref", "feature", "sha", head, "repo", Map.of("full_name", REPOSITORY)),
                        "base", Map.of("ref", "main", "sha", base, "repo", Map.of("full_name", REPOSITORY)),
                        "user", Map.of("login", "octocat")),
                "repository", repository, "sender", Map.of("login", "octocat"));
    }

    private static JsonNode call(String method, String path, Object body, int expected) throws Exception {
        String token = Files.readString(work.resolve("data").resolve("admin-token")).strip();
        HttpRequest.Builder request = HttpRequest.newBuilder(scanner().resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    private static URI scanner() {
        return URI.create(service(ServiceKind.SCANNER).url());
    }

    private static StackState.Service service(ServiceKind kind) {
        StackState state = new StateFile(work.resolve("data").resolve("stack.json")).read().orElseThrow();
        return state.service(kind).orElseThrow();
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
    }

    private static String hmacSha256Hex(String secret, String body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
