package dev.drep.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.testsupport.http.TestHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefUpdate;

/**
 * A fake Gitea for the end-to-end tests of pull-request jobs: WireMock answering the parts of Gitea's API v1 the
 * publisher writes to (commit statuses, pull reviews, issue comments) and reads from (version, reviews, comments:
 * none), 404 for anything else, and recording every request it receives so that a test can count them. Also what
 * Gitea sends: a signed {@code pull_request} webhook, and the refs a pull request has in its repository.
 */
final class GiteaFake implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUIDS = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern PULL_NUMBER = Pattern.compile("/(pulls|issues)/\\d+/");

    /** One write the fake received, its pull request number and job ids taken out so that two reviews compare. */
    record Write(String method, String path, String body) {
    }

    private final WireMockServer server;
    private final String repository;

    private GiteaFake(WireMockServer server, String repository) {
        this.server = server;
        this.repository = repository;
    }

    /** @param repository owner/name of the one repository this fake knows */
    static GiteaFake start(String repository) {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        String api = "/api/v1/repos/" + repository;
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"not found\"}")));
        server.stubFor(get(urlPathEqualTo("/api/v1/version")).willReturn(okJson("{\"version\":\"1.21.4\"}")));
        server.stubFor(post(urlPathMatching(api + "/statuses/[0-9a-f]{40}"))
                .willReturn(okJson("{\"id\":1,\"status\":\"pending\",\"context\":\"drep\"}").withStatus(201)));
        server.stubFor(post(urlPathMatching(api + "/pulls/[0-9]+/reviews"))
                .willReturn(okJson("{\"id\":90,\"state\":\"COMMENT\",\"comments_count\":1}")));
        server.stubFor(get(urlPathMatching(api + "/pulls/[0-9]+/reviews")).willReturn(okJson("[]")));
        server.stubFor(get(urlPathMatching(api + "/issues/[0-9]+/comments")).willReturn(okJson("[]")));
        server.stubFor(post(urlPathMatching(api + "/issues/[0-9]+/comments")).willReturn(okJson(
                "{\"id\":2001,\"body\":\"...\",\"user\":{\"login\":\"drep-bot\"}}").withStatus(201)));
        server.stubFor(patch(urlPathMatching(api + "/issues/comments/[0-9]+")).willReturn(okJson(
                "{\"id\":2001,\"body\":\"...\"}")));
        return new GiteaFake(server, repository);
    }

    /** Gitea answers that {@code login} has {@code permission} (write, read) on this fake's repository. */
    void grant(String login, String permission) {
        grant(repository, login, permission);
    }

    /** Gitea answers that {@code login} has {@code permission} (write, read) on {@code fullName}. */
    void grant(String fullName, String login, String permission) {
        server.stubFor(get(urlPathEqualTo("/api/v1/repos/" + fullName + "/collaborators/" + login + "/permission"))
                .willReturn(okJson("{\"permission\":\"" + permission + "\",\"role_name\":\"" + permission + "\"}")));
    }

    /**
     * Opens pull request {@code number} of this fake's repository from branch {@code headRef} at {@code head} into
     * main at {@code base}: its refs in {@code origin} ({@link #openPullRequest(Path, int, String, String)}) and
     * Gitea's answer about it ({@link #pullRequest}).
     */
    void openPullRequest(Path origin, int number, String base, String head, String headRef) throws IOException {
        openPullRequest(origin, number, base, head);
        pullRequest(repository, number, base, head, headRef);
    }

    /**
     * Gitea answers {@code GET pulls/{number}} of {@code fullName}: open, by octocat, from branch {@code headRef} at
     * {@code head} into main at {@code base}.
     */
    void pullRequest(String fullName, int number, String base, String head, String headRef) throws IOException {
        server.stubFor(get(urlPathEqualTo("/api/v1/repos/" + fullName + "/pulls/" + number))
                .willReturn(okJson(JSON.writeValueAsString(Map.of("number", number, "state", "open",
                        "user", Map.of("login", "octocat"), "base", Map.of("ref", "main", "sha", base),
                        "head", Map.of("ref", headRef, "sha", head))))));
    }

    String baseUrl() {
        return server.baseUrl();
    }

    /** The WireMock server, for a test's own queries of what it received. */
    WireMockServer server() {
        return server;
    }

    String apiUrl() {
        return server.baseUrl() + "/api/v1";
    }

    /** The variables that point a {@code drep up} stack at this fake and allow what a test on one machine needs. */
    Map<String, String> stackVariables(String webhookKey) {
        return Map.of(
                "DREP_SCANNER_WEBHOOK_SECRET_KEY", webhookKey,
                "DREP_GITEA_URL", server.baseUrl(),
                "DREP_GITEA_TOKEN", "gitea-e2e-token",
                "DREP_PLATFORM_ACCESS_ALLOW_FILE_URLS", "true",
                "DREP_PLATFORM_ACCESS_ALLOW_PLAIN_HTTP", "true",
                "DREP_PLATFORM_ACCESS_ALLOW_PRIVATE_ADDRESSES", "true");
    }

    /** What {@code POST /api/repositories} takes to register {@code origin} as this fake's repository. */
    Map<String, Object> registration(Path origin) {
        return registration(origin, repository);
    }

    /** What {@code POST /api/repositories} takes to register {@code origin} as repository {@code fullName} here. */
    Map<String, Object> registration(Path origin, String fullName) {
        return Map.of("platform", "gitea", "fullName", fullName, "cloneUrl", origin.toUri().toString(),
                "apiUrl", apiUrl(), "tokenRef", "gitea-token");
    }

    /** Gives {@code origin} the refs Gitea keeps for pull request {@code number} from {@code head} into main at {@code base}. */
    static void openPullRequest(Path origin, int number, String base, String head) throws IOException {
        try (Git git = Git.open(origin.toFile())) {
            RefUpdate pull = git.getRepository().updateRef("refs/pull/" + number + "/head");
            pull.setNewObjectId(git.getRepository().resolve(head));
            assertThat(pull.forceUpdate()).isIn(RefUpdate.Result.NEW, RefUpdate.Result.FORCED, RefUpdate.Result.NO_CHANGE);
            RefUpdate main = git.getRepository().updateRef("refs/heads/main");
            main.setNewObjectId(git.getRepository().resolve(base));
            main.forceUpdate();
        }
    }

    /**
     * Delivers the signed {@code pull_request} "opened" event Gitea would send to the scanner's webhook.
     *
     * @param registered the scanner's answer to the repository's registration (webhook path and secret)
     * @return the scanner's answer
     */
    HttpResponse<String> deliverPullRequestOpened(TestHttpClient http, URI scanner, JsonNode registered, int number,
            String base, String head) throws IOException, InterruptedException, GeneralSecurityException {
        return deliver(http, scanner, registered, "pull_request", "pull_request", UUID.randomUUID().toString(),
                JSON.writeValueAsString(pullRequestOpened(number, base, head)));
    }

    /**
     * Delivers a signed pull request comment ({@code issue_comment}, type {@code pull_request_comment}) as Gitea
     * sends it to the scanner's webhook.
     *
     * @param registered the scanner's answer to the repository's registration (webhook path and secret)
     */
    static HttpResponse<String> deliverComment(TestHttpClient http, URI scanner, JsonNode registered, String delivery,
            String body) throws IOException, InterruptedException, GeneralSecurityException {
        return deliver(http, scanner, registered, "issue_comment", "pull_request_comment", delivery, body);
    }

    /** Delivers {@code body} signed with the repository's webhook secret, with Gitea's event headers. */
    static HttpResponse<String> deliver(TestHttpClient http, URI scanner, JsonNode registered, String event,
            String eventType, String delivery, String body)
            throws IOException, InterruptedException, GeneralSecurityException {
        return http.send(HttpRequest.newBuilder(scanner.resolve(registered.path("webhook").path("path").asText()))
                .header("Content-Type", "application/json")
                .header("X-Gitea-Event", event).header("X-Gitea-Event-Type", eventType)
                .header("X-Gitea-Delivery", delivery)
                .header("X-Gitea-Signature", hmacSha256Hex(registered.path("webhook").path("secret").asText(), body))
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Gitea's {@code issue_comment} payload (IssueCommentPayload, {@code is_pull} true) for comment {@code id} by
     * {@code login} on pull request {@code number} of this fake's repository.
     */
    String commentPayload(int number, long id, String login, String body) throws IOException {
        String name = repository.substring(repository.indexOf('/') + 1);
        String owner = repository.substring(0, repository.indexOf('/'));
        return JSON.writeValueAsString(Map.of("action", "created",
                "issue", Map.of("id", 100 * number, "number", number, "state", "open", "title", "Guide",
                        "pull_request", Map.of("merged", false), "user", Map.of("id", 1, "login", "octocat")),
                "comment", Map.of("id", id, "body", body, "user", Map.of("id", id, "login", login)),
                "repository", Map.of("full_name", repository, "name", name, "owner", Map.of("login", owner),
                        "default_branch", "main"),
                "sender", Map.of("id", id, "login", login),
                "is_pull", true));
    }

    // what Gitea sends when a pull request is opened (the fields the scanner reads)
    private Map<String, Object> pullRequestOpened(int number, String base, String head) {
        String name = repository.substring(repository.indexOf('/') + 1);
        String owner = repository.substring(0, repository.indexOf('/'));
        Map<String, Object> repo = Map.of("full_name", repository, "name", name, "owner", Map.of("login", owner),
                "default_branch", "main", "private", true);
        return Map.of("action", "opened", "number", number,
                "pull_request", Map.of("number", number, "state", "open", "merged", false,
                        "head", Map.of("ref", "feature-" + number, "sha", head, "repo", Map.of("full_name", repository)),
                        "base", Map.of("ref", "main", "sha", base, "repo", Map.of("full_name", repository)),
                        "user", Map.of("login", "octocat")),
                "repository", repo, "sender", Map.of("login", "octocat"));
    }

    /**
     * What the fake was asked to write (POST, PATCH, PUT, DELETE) for pull request {@code number} at commit
     * {@code head} — its commit statuses, reviews and comments — oldest first, with the number, the head (whole or
     * abbreviated) and any job id replaced, and the inline comments of a review in a stable order: two reviews of the same change on two pull
     * requests give equal lists, and a comment posted twice shows as two entries.
     */
    List<Write> writesOf(int number, String head) throws IOException {
        String api = "/api/v1/repos/" + repository;
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        List<Write> writes = new ArrayList<>();
        for (ServeEvent event : events) {
            LoggedRequest request = event.getRequest();
            String url = request.getUrl();
            boolean ours = url.startsWith(api + "/pulls/" + number + "/") || url.startsWith(api + "/issues/" + number + "/")
                    || url.startsWith(api + "/statuses/" + head);
            if (ours && !request.getMethod().equals(RequestMethod.GET)) {
                writes.add(write(request, head));
            }
        }
        return writes;
    }

    /** The one review posted on pull request {@code number}, checked to be the only one, and its comment on {@code rule}. */
    record PostedReview(JsonNode review, JsonNode comment) {
    }

    /** The one review posted on pull request {@code number}, checked to be the only one and to comment on {@code rule}. */
    PostedReview onlyReview(int number, String rule) throws IOException {
        List<LoggedRequest> reviews = server.findAll(postRequestedFor(urlPathEqualTo(
                "/api/v1/repos/" + repository + "/pulls/" + number + "/reviews")));
        assertThat(reviews).hasSize(1);
        JsonNode posted = JSON.readTree(reviews.get(0).getBodyAsString());
        JsonNode comment = null;
        for (JsonNode c : posted.path("comments")) {
            if (c.path("body").asText().contains(rule)) {
                comment = c;
            }
        }
        assertThat(comment).as("drep's comment on %s: %s", rule, posted).isNotNull();
        return new PostedReview(posted, comment);
    }

    /** When the first status other than pending arrived on {@code head}. */
    Instant verdictAt(String head) throws IOException {
        for (ServeEvent event : server.getAllServeEvents()) {
            LoggedRequest request = event.getRequest();
            if (request.getUrl().endsWith("/statuses/" + head) && request.getMethod().equals(RequestMethod.POST)
                    && !JSON.readTree(request.getBodyAsString()).path("state").asText().equals("pending")) {
                return request.getLoggedDate().toInstant();
            }
        }
        throw new IllegalStateException("no verdict on " + head + " yet");
    }

    /** The {@code state}s of the commit statuses posted on {@code head}, oldest first. */
    List<String> statesOn(String head) throws IOException {
        List<String> states = new ArrayList<>();
        for (Write write : writesOf(-1, head)) {
            states.add(JSON.readTree(write.body()).path("state").asText());
        }
        return states;
    }

    private Write write(LoggedRequest request, String head) throws IOException {
        Pattern commit = Pattern.compile("\\b" + head.substring(0, 7) + "[0-9a-f]*"); // the full id, or abbreviated
        String path = PULL_NUMBER.matcher(commit.matcher(request.getUrl()).replaceAll("<head>")).replaceAll("/$1/#/");
        String body = request.getBodyAsString();
        if (!body.isBlank()) {
            JsonNode json = JSON.readTree(body);
            if (json.path("comments") instanceof ArrayNode comments && json instanceof ObjectNode review) {
                List<JsonNode> sorted = new ArrayList<>();
                comments.forEach(sorted::add);
                sorted.sort(Comparator.comparing(JsonNode::toString));
                review.putArray("comments").addAll(sorted);
            }
            body = JSON.writeValueAsString(json);
        }
        return new Write(request.getMethod().getName(), path,
                UUIDS.matcher(commit.matcher(body).replaceAll("<head>")).replaceAll("<job>"));
    }

    private static String hmacSha256Hex(String secret, String body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        server.stop();
    }
}
