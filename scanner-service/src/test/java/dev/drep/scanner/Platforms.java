package dev.drep.scanner;

import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.WorkUnit;
import dev.drep.scanner.webhook.WebhookSignatures;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test fixtures for platform integrations: registrations, webhook payloads in each platform's documented
 * shape, signed deliveries, and what the scanner handed on (plans, units).
 */
final class Platforms {
    static final String TOKEN = "test-token-value-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** what each registration answered, by lower-case full name */
    private static final Map<String, Registered> REGISTERED = new ConcurrentHashMap<>();

    /** A registration's id, webhook path and the secret shown once in its answer. */
    record Registered(String id, String path, String secret) {
    }

    private Platforms() {
    }

    /** @return a name unique to the test run, e.g. {@code acme/docs-1a2b3c4d} */
    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Registers a repository with the test token reference and remembers its webhook URL and secret, which the
     * {@code deliver*} methods use for payloads naming it; @return its id
     */
    static String register(String platform, String fullName, String cloneUrl, String apiUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("platform", platform);
        body.put("fullName", fullName);
        body.put("cloneUrl", cloneUrl);
        body.put("apiUrl", apiUrl);
        body.put("tokenRef", "test-token");
        var answer = asAdmin().contentType(ContentType.JSON).body(body).post("/api/repositories")
                .then().statusCode(201).extract().jsonPath();
        Registered registered = new Registered(answer.getString("id"), answer.getString("webhook.path"),
                answer.getString("webhook.secret"));
        REGISTERED.put(fullName.toLowerCase(Locale.ROOT), registered);
        return registered.id();
    }

    /** @return what the registration of {@code fullName} answered */
    static Registered registered(String fullName) {
        Registered registered = REGISTERED.get(fullName.toLowerCase(Locale.ROOT));
        if (registered == null) {
            throw new AssertionError(fullName + " was not registered with Platforms.register");
        }
        return registered;
    }

    /** @return the webhook secret shown when {@code fullName} was registered */
    static String secretOf(String fullName) {
        return registered(fullName).secret();
    }

    /** @return the repository a payload names (GitLab: the project path) */
    private static String nameIn(String body) {
        try {
            var payload = JSON.readTree(body);
            return payload.has("project") ? payload.path("project").path("path_with_namespace").asText()
                    : payload.path("repository").path("full_name").asText();
        } catch (Exception e) {
            throw new IllegalArgumentException("not a JSON payload: " + body, e);
        }
    }

    static String githubPullRequest(String action, String fullName, int number, String baseSha, String headSha) {
        return json(Map.of(
                "action", action,
                "number", number,
                "pull_request", Map.of("number", number, "state", "closed".equals(action) ? "closed" : "open",
                        "merged", false,
                        "head", Map.of("ref", "feature", "sha", headSha, "repo", Map.of("full_name", fullName)),
                        "base", Map.of("ref", "main", "sha", baseSha, "repo", Map.of("full_name", fullName)),
                        "user", Map.of("login", "octocat")),
                "repository", repository(fullName),
                "sender", Map.of("login", "octocat")));
    }

    static String push(String fullName, String ref, String before, String after) {
        return json(Map.of("ref", ref, "before", before, "after", after, "created", false, "deleted", false,
                "repository", repository(fullName), "pusher", Map.of("name", "octocat")));
    }

    static String gitlabMergeRequest(String action, String fullName, int iid, String headSha, String oldrev) {
        Map<String, Object> attributes = new HashMap<>(Map.of("iid", iid, "id", 1000 + iid, "action", action,
                "state", switch (action) {
                    case "merge" -> "merged";
                    case "close" -> "closed";
                    default -> "opened";
                },
                "source_branch", "feature", "target_branch", "main",
                "last_commit", Map.of("id", headSha, "message", "work")));
        if (oldrev != null) {
            attributes.put("oldrev", oldrev);
        }
        return json(Map.of("object_kind", "merge_request", "event_type", "merge_request",
                "user", Map.of("username", "root"),
                "project", Map.of("id", 42, "path_with_namespace", fullName, "default_branch", "main"),
                "object_attributes", attributes));
    }

    static String gitlabPush(String fullName, String ref, String before, String after) {
        return json(Map.of("object_kind", "push", "event_name", "push", "ref", ref, "before", before, "after", after,
                "checkout_sha", after, "project", Map.of("id", 42, "path_with_namespace", fullName, "default_branch", "main")));
    }

    private static Map<String, Object> repository(String fullName) {
        return Map.of("full_name", fullName, "name", fullName.substring(fullName.indexOf('/') + 1),
                "owner", Map.of("login", fullName.substring(0, fullName.indexOf('/'))), "default_branch", "main",
                "private", true);
    }

    /** Delivers {@code body} to the webhook URL of the repository it names, signed with that repository's secret. */
    static Response deliverGithub(String event, String delivery, String body) {
        Registered to = registered(nameIn(body));
        return deliverGithub(to.path(), event, delivery, body, "sha256=" + WebhookSignatures.sign(to.secret(), bytes(body)));
    }

    /** Delivers {@code body} to the webhook URL of the repository it names, with {@code signature} (null: none). */
    static Response deliverGithub(String event, String delivery, String body, String signature) {
        return deliverGithub(registered(nameIn(body)).path(), event, delivery, body, signature);
    }

    /** Delivers {@code body} to {@code path} with {@code signature} (null: none). */
    static Response deliverGithub(String path, String event, String delivery, String body, String signature) {
        var request = given().contentType(ContentType.JSON).header("X-GitHub-Event", event).header("X-GitHub-Delivery", delivery);
        if (signature != null) {
            request = request.header("X-Hub-Signature-256", signature);
        }
        return request.body(bytes(body)).post(path);
    }

    static Response deliverGitea(String event, String delivery, String body, String signature) {
        return given().contentType(ContentType.JSON).header("X-Gitea-Event", event)
                .header("X-Gitea-Event-Type", "pull_request".equals(event) ? "pull_request_sync" : event)
                .header("X-Gitea-Delivery", delivery).header("X-Gitea-Signature", signature)
                .body(bytes(body)).post(registered(nameIn(body)).path());
    }

    static Response deliverGitea(String event, String delivery, String body) {
        return deliverGitea(event, delivery, body, WebhookSignatures.sign(secretOf(nameIn(body)), bytes(body)));
    }

    /** Delivers {@code body} to the webhook URL of the project it names, with that project's secret token. */
    static Response deliverGitlab(String event, String idempotencyKey, String body) {
        return deliverGitlab(event, idempotencyKey, body, secretOf(nameIn(body)));
    }

    static Response deliverGitlab(String event, String idempotencyKey, String body, String token) {
        return given().contentType(ContentType.JSON).header("X-Gitlab-Event", event)
                .header("X-Gitlab-Event-UUID", UUID.randomUUID().toString()).header("Idempotency-Key", idempotencyKey)
                .header("X-Gitlab-Token", token).body(bytes(body)).post(registered(nameIn(body)).path());
    }

    static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the plan the scanner registered with the publisher for {@code jobId} */
    static JobPlan plan(String jobId) throws Exception {
        List<LoggedRequest> registrations = PublisherStubResource.server.findAll(putRequestedFor(urlEqualTo("/internal/jobs/" + jobId)));
        if (registrations.isEmpty()) {
            throw new AssertionError("no plan registered for job " + jobId);
        }
        return JSON.findAndRegisterModules().readValue(registrations.get(0).getBodyAsString(), JobPlan.class);
    }

    /** @return the distinct units published for {@code jobId} (a redelivered plan request publishes the same ids) */
    static List<WorkUnit> units(String jobId) {
        Map<String, WorkUnit> byId = new LinkedHashMap<>();
        WorkUnitRecorder.UNITS.stream().filter(u -> u.jobId().equals(jobId)).forEach(u -> byId.putIfAbsent(u.unitId(), u));
        return List.copyOf(byId.values());
    }

    /** Waits for every unit the plan names to arrive; @return the plan's files by path */
    static Map<String, FileToAnalyze> awaitFiles(String jobId, JobPlan plan) throws InterruptedException {
        ReviewApiTest.await(() -> units(jobId).size() >= plan.unitIds().size());
        return files(jobId);
    }

    /** @return the files of every analysing unit of {@code jobId} (not the walkthrough's diffs), by path */
    static Map<String, FileToAnalyze> files(String jobId) {
        Map<String, FileToAnalyze> files = new LinkedHashMap<>();
        units(jobId).stream().filter(u -> !u.analyzer().equals("describe"))
                .forEach(u -> u.files().forEach(f -> files.put(f.path(), f)));
        return files;
    }

    /** Waits until the job has left QUEUED (planned, or finished early); @return its status */
    static String awaitPlanned(String jobId) throws InterruptedException {
        String[] status = new String[1];
        ReviewApiTest.await(() -> {
            status[0] = asAdmin().get("/api/jobs/" + jobId).path("status");
            return !"QUEUED".equals(status[0]);
        });
        return status[0];
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
