package dev.drep.scanner;

import static dev.drep.scanner.Platforms.SECRET;
import static dev.drep.scanner.Platforms.deliverGitea;
import static dev.drep.scanner.Platforms.deliverGithub;
import static dev.drep.scanner.Platforms.deliverGitlab;
import static dev.drep.scanner.Platforms.githubPullRequest;
import static dev.drep.scanner.Platforms.gitlabMergeRequest;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.drep.scanner.webhook.DeliveryRetention;
import dev.drep.scanner.webhook.WebhookSignatures;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
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
    void aBadSignatureOrTokenIs401AndNothingIsRecordedOrQueued() {
        String name = Platforms.uniqueName("acme/signed");
        String id = Platforms.register("github", name, origin.url(), "https://api.github.com");
        String body = githubPullRequest("opened", name, 1, base, head);
        String delivery = UUID.randomUUID().toString();

        deliverGithub("pull_request", delivery, body, "sha256=" + WebhookSignatures.sign("wrong secret", Platforms.bytes(body)))
                .then().statusCode(401).body("error", equalTo("unauthorized"))
                .body("message", containsString("X-Hub-Signature-256 does not match"))
                .body("message", org.hamcrest.Matchers.not(containsString(SECRET)));
        deliverGithub("pull_request", delivery, body, null).then().statusCode(401)
                .body("message", containsString("X-Hub-Signature-256 is missing"));
        // the signature covers the raw bytes: the same JSON with other whitespace does not verify
        deliverGithub("pull_request", delivery, body.replace(",", ", "),
                "sha256=" + WebhookSignatures.sign(SECRET, Platforms.bytes(body))).then().statusCode(401);
        assertThat(jobsOf(id)).isEmpty();
        // the refused deliveries left no trace: the genuine one with the same delivery id is new
        deliverGithub("pull_request", delivery, body).then().statusCode(202).body("status", equalTo("queued"));
        assertThat(jobsOf(id)).hasSize(1);

        String giteaName = Platforms.uniqueName("acme/gitea-signed");
        String giteaId = Platforms.register("gitea", giteaName, origin.url(), "https://gitea.example/api/v1");
        String giteaBody = githubPullRequest("opened", giteaName, 1, base, head);
        deliverGitea("pull_request", UUID.randomUUID().toString(), giteaBody, WebhookSignatures.sign("nope", Platforms.bytes(giteaBody)))
                .then().statusCode(401).body("message", containsString("X-Gitea-Signature"));
        assertThat(jobsOf(giteaId)).isEmpty();

        String gitlabName = Platforms.uniqueName("group/sub/gitlab-token");
        String gitlabId = Platforms.register("gitlab", gitlabName, origin.url(), "https://gitlab.example/api/v4");
        deliverGitlab("Merge Request Hook", UUID.randomUUID().toString(), gitlabMergeRequest("open", gitlabName, 1, head, null),
                SECRET + "x").then().statusCode(401).body("message", containsString("X-Gitlab-Token"));
        assertThat(jobsOf(gitlabId)).isEmpty();
    }

    @Test
    void aRepositoryWithoutAConfiguredSecretCannotReceiveDeliveries() {
        String name = Platforms.uniqueName("acme/unconfigured");
        asAdmin().contentType(ContentType.JSON).body(Map.of("platform", "github", "fullName", name, "cloneUrl", origin.url(),
                "apiUrl", "https://api.github.com", "webhookSecretRef", "not-configured-anywhere"))
                .post("/api/repositories").then().statusCode(201).body("webhookSecretConfigured", equalTo(false));
        deliverGithub("pull_request", UUID.randomUUID().toString(), githubPullRequest("opened", name, 1, base, head))
                .then().statusCode(401).body("message", containsString("no webhook secret"));
    }

    @Test
    void anUnknownRepositoryIs404AndAnUnknownPlatformToo() {
        String name = Platforms.uniqueName("nobody/unregistered");
        deliverGithub("pull_request", UUID.randomUUID().toString(), githubPullRequest("opened", name, 1, base, head))
                .then().statusCode(404).body("error", equalTo("not_found"))
                .body("message", containsString("'" + name + "' is registered"));
        deliverGitlab("Merge Request Hook", UUID.randomUUID().toString(), gitlabMergeRequest("open", name, 1, head, null), SECRET)
                .then().statusCode(404);
        asAdmin().contentType(ContentType.JSON).body("{}").post("/api/webhooks/bitbucket").then().statusCode(404)
                .body("message", containsString("gitea, github, gitlab"));
    }

    @Test
    void malformedJsonIs400() {
        for (String platform : List.of("github", "gitea", "gitlab")) {
            asAdmin().contentType(ContentType.JSON).header("X-GitHub-Event", "pull_request").body("{\"action\": \"opened\",")
                    .post("/api/webhooks/" + platform).then().statusCode(400).body("error", equalTo("invalid_json"));
        }
        asAdmin().contentType(ContentType.JSON).body("[1, 2]").post("/api/webhooks/github").then().statusCode(400)
                .body("message", containsString("JSON object"));
        asAdmin().contentType(ContentType.JSON).body(new byte[0]).post("/api/webhooks/github").then().statusCode(400);
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
        deliverGitlab("Merge Request Hook", UUID.randomUUID().toString(), gitlabMergeRequest("merge", gitlabName, 1, head, null), SECRET)
                .then().statusCode(200).body("status", equalTo("ignored")).body("message", containsString("merged"));
        // an update that changes only the title carries no oldrev: no new commits, nothing to review
        deliverGitlab("Merge Request Hook", UUID.randomUUID().toString(), gitlabMergeRequest("update", gitlabName, 1, head, null), SECRET)
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
        String gitlabJob = deliverGitlab("Merge Request Hook", key, mr, SECRET).then().statusCode(202).extract().path("jobId");
        // a retry keeps the Idempotency-Key while X-Gitlab-Event-UUID may differ
        deliverGitlab("Merge Request Hook", key, mr, SECRET).then().statusCode(200).body("jobId", equalTo(gitlabJob));
        assertThat(jobsOf(gitlabId)).containsExactly(gitlabJob);
        assertThat(Platforms.awaitPlanned(jobId)).isEqualTo("ANALYZING");
    }

    @Test
    void deliveryRecordsArePurgedAfterTheirRetention() throws Exception {
        String name = Platforms.uniqueName("acme/retention");
        String id = Platforms.register("github", name, origin.url(), "https://api.github.com");
        String body = githubPullRequest("opened", name, 1, base, head);
        String delivery = UUID.randomUUID().toString();
        String first = deliverGithub("pull_request", delivery, body).then().statusCode(202).extract().path("jobId");

        // within the retention a redelivery is still recognised
        assertThat(retention.purge(Instant.now()).await().atMost(Duration.ofSeconds(10))).isNotNegative();
        deliverGithub("pull_request", delivery, body).then().statusCode(200).body("status", equalTo("duplicate"));

        // past it (14 days by default) the record is gone, and the same delivery id is a new delivery
        assertThat(retention.purge(Instant.now().plus(Duration.ofDays(15))).await().atMost(Duration.ofSeconds(10)))
                .isPositive();
        String second = deliverGithub("pull_request", delivery, body).then().statusCode(202)
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
        asAdmin().contentType(ContentType.URLENC).header("X-GitHub-Event", "ping")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + WebhookSignatures.sign(SECRET, Platforms.bytes(form)))
                .body(form).post("/api/webhooks/github")
                .then().statusCode(200).body("message", equalTo("ping acknowledged"));
        // an organisation hook's ping names no repository
        deliverGithub("ping", UUID.randomUUID().toString(), "{\"zen\": \"x\", \"hook_id\": 2}").then().statusCode(200)
                .body("status", equalTo("ignored"));
        // an issue event is acknowledged, not acted on
        deliverGithub("issues", UUID.randomUUID().toString(), Platforms.json(Map.of("action", "opened",
                "repository", Map.of("full_name", name)))).then().statusCode(200).body("status", equalTo("ignored"));
        assertThat(jobsOf(id)).isEmpty();
    }

    static List<String> jobsOf(String repositoryId) {
        return asAdmin().queryParam("repository", repositoryId).get("/api/jobs").then().statusCode(200).extract().jsonPath()
                .getList("id", String.class);
    }
}
