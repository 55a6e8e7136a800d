package dev.drep.scanner;

import static dev.drep.scanner.Platforms.deliverGitea;
import static dev.drep.scanner.Platforms.deliverGithub;
import static dev.drep.scanner.Platforms.deliverGitlab;
import static dev.drep.scanner.Platforms.githubPullRequest;
import static dev.drep.scanner.Platforms.gitlabMergeRequest;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.drep.scanner.webhook.DeliveryRetention;
import dev.drep.scanner.webhook.WebhookSignatures;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook deliveries that must not become reviews, and one that must become exactly one. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class WebhookApiTest {
    /** the bad input of the issue: more than GitHub's 25 MB and drep's default limit */
    private static final int THIRTY_MB = 30 * 1024 * 1024;
    @Inject
    DeliveryRetention retention;
    private TestOrigin origin;
    private String base;
    private String head;

    @BeforeEach
    void repository() throws Exception {
        origin = TestOrigin.create();
        base = origin.work.write("README.md", "# Docs\n").commit("base");
        origin.push("refs/heads/main", "refs/heads/main");
        head = origin.work.branch("feature").write("guide.md", "# Guide\n").commit("guide");
        origin.push("refs/heads/feature", "refs/pull/1/head").push("refs/heads/feature", "refs/merge-requests/1/head");
    }

    @Test
    void aMissingForgedOrTamperedSignatureAndAnUnknownRepositoryGetOneAnswerAndLeaveNoTrace() {
        String name = Platforms.uniqueName("acme/signed");
        String id = Platforms.register("github", name, origin.url(), "https://api.github.com");
        String secret = Platforms.secretOf(name);
        String path = Platforms.registered(name).path();
        String body = githubPullRequest("opened", name, 1, base, head);
        String delivery = UUID.randomUUID().toString();

        String forged = deliverGithub(path, "pull_request", delivery, body, sha256("wrong secret", body))
                .then().statusCode(401).body("error", equalTo("unauthorized"))
                .body("message", containsString("X-Hub-Signature-256")).body("message", not(containsString(secret)))
                .extract().asString();
        // no signature, a signature over other bytes (the same JSON with other whitespace), a repository id that
        // is not registered, an id that is not one, and a registration of another platform: all the same answer,
        // so that a caller learns nothing about which repositories are registered
        String gitlabName = Platforms.uniqueName("group/elsewhere");
        String gitlabId = Platforms.register("gitlab", gitlabName, origin.url(), "https://gitlab.example/api/v4");
        for (String answer : List.of(
                deliverGithub(path, "pull_request", delivery, body, null).then().statusCode(401).extract().asString(),
                deliverGithub(path, "pull_request", delivery, body.replace(",", ", "), sha256(secret, body))
                        .then().statusCode(401).extract().asString(),
                deliverGithub("/api/webhooks/github/" + UUID.randomUUID(), "pull_request", delivery, body, sha256(secret, body))
                        .then().statusCode(401).extract().asString(),
                deliverGithub("/api/webhooks/github/not-a-repository", "pull_request", delivery, body, sha256(secret, body))
                        .then().statusCode(401).extract().asString(),
                deliverGithub("/api/webhooks/github/" + gitlabId, "pull_request", delivery, body,
                        sha256(Platforms.secretOf(gitlabName), body)).then().statusCode(401).extract().asString())) {
            assertThat(answer).isEqualTo(forged);
        }
        // the signature is checked before the body is read: an unsigned body that is not JSON is 401, not 400
        deliverGithub(path, "pull_request", delivery, "{\"action\": \"opened\",", null).then().statusCode(401);
        assertThat(jobsOf(id)).isEmpty();
        assertThat(jobsOf(gitlabId)).isEmpty();
        // the refused deliveries left no trace: the genuine one with the same delivery id is new
        deliverGithub("pull_request", delivery, body).then().statusCode(202).body("status", equalTo("queued"));
        assertThat(jobsOf(id)).hasSize(1);

        String giteaName = Platforms.uniqueName("acme/gitea-signed");
        String giteaId = Platforms.register("gitea", giteaName, origin.url(), "https://gitea.example/api/v1");
        String giteaBody = githubPullRequest("opened", giteaName, 1, base, head);
        deliverGitea("pull_request", UUID.randomUUID().toString(), giteaBody, WebhookSignatures.sign("nope", Platforms.bytes(giteaBody)))
                .then().statusCode(401).body("message", containsString("X-Gitea-Signature"));
        assertThat(jobsOf(giteaId)).isEmpty();

        deliverGitlab("Merge Request Hook", UUID.randomUUID().toString(), gitlabMergeRequest("open", gitlabName, 1, head, null),
                Platforms.secretOf(gitlabName) + "x").then().statusCode(401).body("message", containsString("X-Gitlab-Token"));
        assertThat(jobsOf(gitlabId)).isEmpty();
    }

    @Test
    void eachRepositoryHasItsOwnSecretSoOneRepositorysSecretCannotSignForAnother() {
        String a = Platforms.uniqueName("acme/a");
        String b = Platforms.uniqueName("acme/b");
        String idA = Platforms.register("github", a, origin.url(), "https://api.github.com");
        String idB = Platforms.register("github", b, origin.url(), "https://api.github.com");
        assertThat(Platforms.secretOf(a)).isNotEqualTo(Platforms.secretOf(b));

        // B's URL, B's body, A's secret
        String bodyB = githubPullRequest("opened", b, 1, base, head);
        deliverGithub(Platforms.registered(b).path(), "pull_request", UUID.randomUUID().toString(), bodyB,
                sha256(Platforms.secretOf(a), bodyB)).then().statusCode(401);
        // A's URL and A's secret, but a body about B
        deliverGithub(Platforms.registered(a).path(), "pull_request", UUID.randomUUID().toString(), bodyB,
                sha256(Platforms.secretOf(a), bodyB)).then().statusCode(403).body("error", equalTo("wrong_repository"))
                .body("message", containsString("'" + b + "'")).body("message", containsString("belong to '" + a + "'"));
        assertThat(jobsOf(idA)).isEmpty();
        assertThat(jobsOf(idB)).isEmpty();
    }

    @Test
    void aBodyOverTheSizeLimitIsRefusedWith413BeforeItIsRead() throws Exception {
        String name = Platforms.uniqueName("acme/large");
        String id = Platforms.register("github", name, origin.url(), "https://api.github.com");
        String path = Platforms.registered(name).path();

        // headers that announce 30 MB, then only a few bytes: the answer comes without waiting for the rest
        assertThat(statusOfRawDelivery(path, "sha256=00", THIRTY_MB, "{\"action\": ".getBytes(StandardCharsets.US_ASCII)))
                .startsWith("HTTP/1.1 413 Request Entity Too Large\n").contains("\"payload_too_large\"")
                .contains("more than the 26214400 bytes this drep accepts (drep.scanner.webhook.max-body-size)");

        // beyond the HTTP server's own limit (32M) the server answers alone, before drep sees the request
        assertThat(statusOfRawDelivery(path, "sha256=00", 1L << 30, new byte[0])).startsWith("HTTP/1.1 413 ");

        // a whole 30 MB delivery, correctly signed, is refused too and leaves nothing behind (the scanner answers and
        // closes the connection while the sender is still writing, as it would with a platform)
        byte[] large = largePullRequest(name);
        assertThat(statusOfRawDelivery(path, "sha256=" + WebhookSignatures.sign(Platforms.secretOf(name), large), large.length,
                large)).startsWith("HTTP/1.1 413 Request Entity Too Large\n");
        assertThat(jobsOf(id)).isEmpty();
    }

    @Test
    void aReplayWithANewDeliveryIdDoesNotStartASecondReviewOfTheSameHead() throws Exception {
        String name = Platforms.uniqueName("acme/replay");
        String id = Platforms.register("github", name, origin.url(), "https://api.github.com");
        String opened = githubPullRequest("opened", name, 1, base, head);
        String jobId = deliverGithub("pull_request", UUID.randomUUID().toString(), opened).then().statusCode(202)
                .extract().path("jobId");

        // the same signed body captured and sent again under a fresh delivery id
        String replay = UUID.randomUUID().toString();
        deliverGithub("pull_request", replay, opened).then().statusCode(200).body("status", equalTo("duplicate"))
                .body("jobId", equalTo(jobId)).body("message", containsString("reviewed or is being reviewed already"));
        // a "synchronize" of the same head (e.g. a force-push of the same commit) is the same review
        deliverGithub("pull_request", UUID.randomUUID().toString(), githubPullRequest("synchronize", name, 1, base, head))
                .then().statusCode(200).body("jobId", equalTo(jobId));
        // and the replay's own redelivery finds the same job
        deliverGithub("pull_request", replay, opened).then().statusCode(200).body("jobId", equalTo(jobId));
        assertThat(jobsOf(id)).containsExactly(jobId);

        // a push of a new head is reviewed
        String newHead = origin.work.write("guide.md", "# Guide\n\nMore.\n").commit("more");
        origin.push("refs/heads/feature", "refs/pull/1/head");
        String second = deliverGithub("pull_request", UUID.randomUUID().toString(),
                githubPullRequest("synchronize", name, 1, base, newHead)).then().statusCode(202).extract().path("jobId");
        assertThat(jobsOf(id)).containsExactlyInAnyOrder(jobId, second);
    }

    @Test
    void theFormerUrlWithoutTheRepositoryIsGoneAndAnUnknownPlatformIs404() {
        String name = Platforms.uniqueName("acme/former");
        Platforms.register("github", name, origin.url(), "https://api.github.com");
        given().contentType(ContentType.JSON).header("X-GitHub-Event", "pull_request")
                .body(githubPullRequest("opened", name, 1, base, head)).post("/api/webhooks/github")
                .then().statusCode(410).body("error", equalTo("gone"))
                .body("message", containsString("/api/webhooks/github/<repository id>"));
        given().contentType(ContentType.JSON).body("{}").post("/api/webhooks/bitbucket/" + UUID.randomUUID()).then().statusCode(404)
                .body("message", containsString("gitea, github, gitlab"));
    }

    @Test
    void malformedJsonWithAValidSignatureIs400() {
        String name = Platforms.uniqueName("acme/malformed");
        Platforms.register("github", name, origin.url(), "https://api.github.com");
        String path = Platforms.registered(name).path();
        String secret = Platforms.secretOf(name);
        deliverGithub(path, "pull_request", UUID.randomUUID().toString(), "{\"action\": \"opened\",", sha256(secret, "{\"action\": \"opened\","))
                .then().statusCode(400).body("error", equalTo("invalid_json"));
        deliverGithub(path, "pull_request", UUID.randomUUID().toString(), "[1, 2]", sha256(secret, "[1, 2]"))
                .then().statusCode(400).body("message", containsString("JSON object"));
        deliverGithub(path, "pull_request", UUID.randomUUID().toString(), "", sha256(secret, "")).then().statusCode(400);

        String gitlabName = Platforms.uniqueName("group/malformed");
        Platforms.register("gitlab", gitlabName, origin.url(), "https://gitlab.example/api/v4");
        given().contentType(ContentType.JSON).header("X-Gitlab-Event", "Merge Request Hook")
                .header("X-Gitlab-Token", Platforms.secretOf(gitlabName)).body("{\"object_kind\": ")
                .post(Platforms.registered(gitlabName).path()).then().statusCode(400).body("error", equalTo("invalid_json"));
    }

    @Test
    void closedAndMergedPullRequestsAreAcknowledgedWithoutAReview() {
        String name = Platforms.uniqueName("acme/closed");
        String id = Platforms.register("github", name, origin.url(), "https://api.github.com");
        deliverGithub("pull_request", UUID.randomUUID().toString(), githubPullRequest("closed", name, 1, base, head))
                .then().statusCode(200).body("status", equalTo("ignored")).body("jobId", nullValue())
                .body("message", containsString("pull request #1 is closed"));
        deliverGithub("pull_request", UUID.randomUUID().toString(), githubPullRequest("labeled", name, 1, base, head))
                .then().statusCode(200).body("status", equalTo("ignored"));

        String gitlabName = Platforms.uniqueName("group/merged");
        String gitlabId = Platforms.register("gitlab", gitlabName, origin.url(), "https://gitlab.example/api/v4");
        deliverGitlab("Merge Request Hook", UUID.randomUUID().toString(), gitlabMergeRequest("merge", gitlabName, 1, head, null))
                .then().statusCode(200).body("status", equalTo("ignored")).body("message", containsString("merged"));
        // an update that changes only the title carries no oldrev: no new commits, nothing to review
        deliverGitlab("Merge Request Hook", UUID.randomUUID().toString(), gitlabMergeRequest("update", gitlabName, 1, head, null))
                .then().statusCode(200).body("status", equalTo("ignored")).body("message", containsString("without new commits"));
        // a push to another branch is not a scan
        deliverGithub("push", UUID.randomUUID().toString(), Platforms.push(name, "refs/heads/feature", base, head))
                .then().statusCode(200).body("status", equalTo("ignored")).body("message", containsString("not to the default branch"));
        assertThat(jobsOf(id)).isEmpty();
        assertThat(jobsOf(gitlabId)).isEmpty();
    }

    @Test
    void aWebhookDeliveredTwiceYieldsOneJob() throws Exception {
        String name = Platforms.uniqueName("acme/twice");
        String id = Platforms.register("github", name, origin.url(), "https://api.github.com");
        String body = githubPullRequest("opened", name, 1, base, head);
        String delivery = UUID.randomUUID().toString();
        String jobId = deliverGithub("pull_request", delivery, body).then().statusCode(202)
                .body("status", equalTo("queued")).extract().path("jobId");
        deliverGithub("pull_request", delivery, body).then().statusCode(200)
                .body("status", equalTo("duplicate")).body("jobId", equalTo(jobId));
        assertThat(jobsOf(id)).containsExactly(jobId);

        String gitlabName = Platforms.uniqueName("group/twice");
        String gitlabId = Platforms.register("gitlab", gitlabName, origin.url(), "https://gitlab.example/api/v4");
        String key = UUID.randomUUID().toString();
        String mr = gitlabMergeRequest("update", gitlabName, 1, head, base);
        String gitlabJob = deliverGitlab("Merge Request Hook", key, mr).then().statusCode(202).extract().path("jobId");
        // a retry keeps the Idempotency-Key while X-Gitlab-Event-UUID may differ
        deliverGitlab("Merge Request Hook", key, mr).then().statusCode(200).body("jobId", equalTo(gitlabJob));
        assertThat(jobsOf(gitlabId)).containsExactly(gitlabJob);
        assertThat(Platforms.awaitPlanned(jobId)).isEqualTo("ANALYZING");
    }

    @Test
    void deliveryRecordsArePurgedAfterTheirRetention() throws Exception {
        String name = Platforms.uniqueName("acme/retention");
        String id = Platforms.register("github", name, origin.url(), "https://api.github.com");
        // a push to the default branch (a scan): a pull request's head would be recognised by the head itself
        String body = Platforms.push(name, "refs/heads/main", "0".repeat(40), base);
        String delivery = UUID.randomUUID().toString();
        String first = deliverGithub("push", delivery, body).then().statusCode(202).extract().path("jobId");

        // within the retention a redelivery is still recognised
        assertThat(retention.purge(Instant.now()).await().atMost(Duration.ofSeconds(10))).isNotNegative();
        deliverGithub("push", delivery, body).then().statusCode(200).body("status", equalTo("duplicate"));

        // past it (14 days by default) the record is gone, and the same delivery id is a new delivery
        assertThat(retention.purge(Instant.now().plus(Duration.ofDays(15))).await().atMost(Duration.ofSeconds(10)))
                .isPositive();
        String second = deliverGithub("push", delivery, body).then().statusCode(202)
                .body("status", equalTo("queued")).extract().path("jobId");
        assertThat(second).isNotEqualTo(first);
        assertThat(jobsOf(id)).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void aPingIsAcknowledged() {
        String name = Platforms.uniqueName("acme/ping");
        String id = Platforms.register("github", name, origin.url(), "https://api.github.com");
        String ping = Platforms.json(Map.of("zen", "Keep it logically awesome.", "hook_id", 1,
                "hook", Map.of("type", "Repository", "events", List.of("pull_request", "push")),
                "repository", Map.of("full_name", name)));
        deliverGithub("ping", UUID.randomUUID().toString(), ping).then().statusCode(200)
                .body("status", equalTo("ignored")).body("message", equalTo("ping acknowledged"));
        // the form-encoded content type GitHub and Gitea offer: signed over the raw form body
        String form = "payload=" + java.net.URLEncoder.encode(ping, java.nio.charset.StandardCharsets.UTF_8);
        given().contentType(ContentType.URLENC).header("X-GitHub-Event", "ping")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", sha256(Platforms.secretOf(name), form))
                .body(form).post(Platforms.registered(name).path())
                .then().statusCode(200).body("message", equalTo("ping acknowledged"));
        // an organisation hook's ping names no repository
        String orgPing = "{\"zen\": \"x\", \"hook_id\": 2}";
        deliverGithub(Platforms.registered(name).path(), "ping", UUID.randomUUID().toString(), orgPing,
                sha256(Platforms.secretOf(name), orgPing)).then().statusCode(200)
                .body("status", equalTo("ignored"));
        // an issue event is acknowledged, not acted on
        deliverGithub("issues", UUID.randomUUID().toString(), Platforms.json(Map.of("action", "opened",
                "repository", Map.of("full_name", name)))).then().statusCode(200).body("status", equalTo("ignored"));
        assertThat(jobsOf(id)).isEmpty();
    }

    /**
     * Sends a GitHub delivery over a plain socket, the body written by another thread so that an answer that comes
     * before the body is all sent is read; @return the answer's status line and body
     */
    private static String statusOfRawDelivery(String path, String signature, long declaredLength, byte[] body) throws Exception {
        URI server = URI.create(RestAssured.baseURI + ":" + RestAssured.port);
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-GitHub-Event: pull_request\r\nX-GitHub-Delivery: " + UUID.randomUUID() + "\r\n"
                    + "X-Hub-Signature-256: " + signature + "\r\nContent-Length: " + declaredLength + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread writer = new Thread(() -> {
                try {
                    for (int at = 0; at < body.length; at += 64 * 1024) {
                        out.write(body, at, Math.min(64 * 1024, body.length - at));
                    }
                    out.flush();
                } catch (java.io.IOException closedByTheServer) {
                    // expected once the scanner has answered
                }
            });
            writer.start();
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String status = in.readLine();
                int length = 0;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring("content-length:".length()).trim());
                    }
                }
                char[] answer = new char[length];
                int read = 0;
                while (read < length) {
                    int n = in.read(answer, read, length - read);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
                return status + "\n" + new String(answer, 0, read);
            } finally {
                socket.close();
                writer.join(10_000);
            }
        }
    }

    private static String sha256(String secret, String body) {
        return "sha256=" + WebhookSignatures.sign(secret, Platforms.bytes(body));
    }

    /** @return a pull request event for {@code name} padded to 30 MB with a long description */
    private static byte[] largePullRequest(String name) {
        String opened = githubPullRequest("opened", name, 1, "a".repeat(40), "b".repeat(40));
        String padding = ", \"description\": \"" + "x".repeat(THIRTY_MB - opened.length() - 20) + "\"}";
        return Platforms.bytes(opened.substring(0, opened.length() - 1) + padding);
    }

    static List<String> jobsOf(String repositoryId) {
        return asAdmin().queryParam("repository", repositoryId).get("/api/jobs").then().statusCode(200).extract().jsonPath()
                .getList("id", String.class);
    }
}
