package dev.drep.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.launcher.stack.ServiceKind;
import dev.drep.testsupport.git.TestRepository;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
class LostWorkEndToEndTest extends GiteaStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPOSITORY = "acme/lost";
    private static final String DEADLINE = "20s";
    private static final int PULL_REQUEST = 7;

    private static WireMockServer gitea;
    private static long stoppedAnalyzer;

    @BeforeAll
    static void startGiteaAndStack() {
        stack = GiteaStack.of(REPOSITORY).withVariable("DREP_SCANNER_JOBS_DEADLINE", DEADLINE)
                .withVariable("DREP_SCANNER_JOBS_WATCH_INTERVAL", "1s").up(work);
        gitea = stack.gitea().server();
    }

    @AfterAll
    static void continueTheAnalyzer() throws Exception { // before the stack is stopped (GiteaStackTest)
        if (stoppedAnalyzer != 0) {
            signal("CONT", stoppedAnalyzer);
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
        GiteaFake.openPullRequest(origin, PULL_REQUEST, base, head);
        stack.register(origin);

        stoppedAnalyzer = stack.service(ServiceKind.ANALYZER).pid();
        signal("STOP", stoppedAnalyzer);
        HttpResponse<String> delivered = stack.deliverPullRequestOpened(PULL_REQUEST, base, head);
        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(202);
        String jobId = JSON.readTree(delivered.body()).path("jobId").asText();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> "FAILED".equals(call("GET", "/api/jobs/" + jobId, null, 200).path("status").asText()));
        JsonNode job = call("GET", "/api/jobs/" + jobId, null, 200);
        assertThat(job.path("message").asText()).as("the job's reason")
                .startsWith("did not finish within " + DEADLINE + ": analysing, 0 of ").endsWith(" work units done");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> !failureStatuses().isEmpty());
        // the scanner reports until the publisher answered 204, every watch interval (1 s): five of them say nothing more
        // (atMost leaves room for polls that a loaded machine delays: with 6 s it once timed out at load 18)
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
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

    private static JsonNode call(String method, String path, Object body, int expected) throws Exception {
        return stack.call(method, path, body, expected);
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
    }
}
