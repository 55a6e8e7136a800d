package dev.drep.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.testsupport.git.TestRepository;
import dev.drep.testsupport.llm.FakeLlmServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, commands in comments, through the four real services of a {@code drep up} stack and a fake Gitea
 * (WireMock, answering the documented API v1): a signed {@code issue_comment} webhook saying {@code /drep review},
 * delivered three times, becomes one full review and one answer in the pull request; a command from someone without
 * write access gets one polite refusal and runs nothing; {@code /drep describe} (on a second repository) writes the
 * walkthrough, asked of a fake model through the real gateway, into the pull request's description once.
 */
class PullRequestCommandsEndToEndTest extends GiteaStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPOSITORY = "acme/commands";
    private static final int PULL_REQUEST = 5;
    private static final String COMMENTS = "/api/v1/repos/" + REPOSITORY + "/issues/" + PULL_REQUEST + "/comments";

    private static WireMockServer gitea;
    private static GuideChange change;
    private static FakeLlmServer llm;
    private static JsonNode described;
    private static final String DESCRIBED = "acme/described";
    private static final int DESCRIBED_PULL = 6;
    private static final String PAUSED = "acme/paused";

    @BeforeAll
    static void startGiteaStackAndRepository() throws Exception {
        Path origin = work.resolve("origin");
        try (TestRepository repo = TestRepository.init(origin)) {
            change = GuideChange.commit(repo, "A trailing space ");
        }
        GiteaFake.openPullRequest(origin, DESCRIBED_PULL, change.base(), change.head());
        // the model: a walkthrough for the describe call, no findings for the review's
        llm = FakeLlmServer.start().answer(request -> request.messages().get(0).content().contains("walkthrough")
                ? "{\"summary\": \"Adds a line to the guide. @everyone\", \"files\": [{\"path\": \"docs/guide.md\","
                        + " \"line\": \"One more line of text.\"}]}"
                : "{\"findings\": []}");
        stack = GiteaStack.of(REPOSITORY).withLlm(llm).up(work);
        gitea = stack.gitea().server();

        String repo = "/api/v1/repos/" + REPOSITORY;
        stack.gitea().grant("maintainer", "write");
        stack.gitea().grant("visitor", "read");
        stack.gitea().openPullRequest(origin, PULL_REQUEST, change.base(), change.head(), "feature");
        gitea.stubFor(get(urlPathEqualTo(COMMENTS)).willReturn(okJson("[]")));
        gitea.stubFor(get(urlPathEqualTo(repo + "/pulls/" + PULL_REQUEST + "/reviews")).willReturn(okJson("[]")));
        gitea.stubFor(post(urlPathEqualTo(COMMENTS)).willReturn(okJson("{\"id\":2,\"body\":\"\"}").withStatus(201)));
        gitea.stubFor(post(urlPathMatching(repo + "/statuses/[0-9a-f]{40}")).willReturn(okJson("{\"id\":1}").withStatus(201)));
        gitea.stubFor(post(urlPathEqualTo(repo + "/pulls/" + PULL_REQUEST + "/reviews"))
                .willReturn(okJson("{\"id\":3}").withStatus(200)));

        String other = "/api/v1/repos/" + DESCRIBED;
        stack.gitea().grant(DESCRIBED, "maintainer", "write");
        gitea.stubFor(get(urlPathEqualTo(other + "/pulls/" + DESCRIBED_PULL)).willReturn(okJson(JSON.writeValueAsString(
                Map.of("number", DESCRIBED_PULL, "state", "open", "user", Map.of("login", "octocat"), "title", "Guide",
                        "body", "The author's own words.", "base", Map.of("ref", "main", "sha", change.base()),
                        "head", Map.of("ref", "feature", "sha", change.head()))))));
        gitea.stubFor(patch(urlPathEqualTo(other + "/pulls/" + DESCRIBED_PULL)).willReturn(okJson("{\"number\":6}")));
        gitea.stubFor(get(urlPathMatching(other + "/(issues/6/comments|pulls/6/reviews)")).willReturn(okJson("[]")));
        gitea.stubFor(post(urlPathEqualTo(other + "/issues/6/comments")).willReturn(okJson("{\"id\":7,\"body\":\"\"}")
                .withStatus(201)));
        gitea.stubFor(post(urlPathMatching(other + "/statuses/[0-9a-f]{40}")).willReturn(okJson("{\"id\":1}").withStatus(201)));
        gitea.stubFor(post(urlPathEqualTo(other + "/pulls/6/reviews")).willReturn(okJson("{\"id\":3}").withStatus(200)));
        stack.register(origin);
        described = stack.call("POST", "/api/repositories", stack.gitea().registration(origin, DESCRIBED), 201);
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

        stack.awaitDone(jobId);
        await().atMost(Duration.ofSeconds(30)).until(() -> !commentsContaining("<!-- drep:summary -->").isEmpty());
        // the other test's refusal is on the same pull request: the maintainer's answers only
        List<LoggedRequest> answers = commentsContaining("<!-- drep:reply:").stream()
                .filter(r -> r.getBodyAsString().contains("@maintainer")).toList();
        assertThat(answers).hasSize(1);
        assertThat(JSON.readTree(answers.get(0).getBodyAsString()).path("body").asText())
                .startsWith("@maintainer, reviewing `" + change.head().substring(0, 12) + "` again").contains(jobId);
        JsonNode jobs = call("GET", "/api/jobs?repository=" + stack.repositoryId(), null, 200);
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

        stack.awaitDone(jobId);
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
                .startsWith("@maintainer, writing the walkthrough of `" + change.head().substring(0, 12) + "`").contains(jobId);
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
        GiteaFake.openPullRequest(work.resolve("origin"), pull, change.base(), change.head());
        String api = "/api/v1/repos/" + PAUSED;
        stack.gitea().grant(PAUSED, "maintainer", "write");
        stack.gitea().pullRequest(PAUSED, pull, change.base(), change.head(), "feature-8");
        String comments = api + "/issues/" + pull + "/comments";
        gitea.stubFor(get(urlPathMatching(api + "/(issues/8/comments|pulls/8/reviews)")).willReturn(okJson("[]")));
        gitea.stubFor(post(urlPathEqualTo(comments)).willReturn(okJson("{\"id\":9,\"body\":\"\"}").withStatus(201)));
        gitea.stubFor(post(urlPathEqualTo(api + "/pulls/" + pull + "/reviews")).willReturn(okJson("{\"id\":4}")));
        gitea.stubFor(post(urlPathMatching(api + "/statuses/[0-9a-f]{40}")).willReturn(okJson("{\"id\":1}").withStatus(201)));
        JsonNode paused = call("POST", "/api/repositories", stack.gitea().registration(work.resolve("origin"), PAUSED),
                201);
        String jobs = "/api/jobs?repository=" + paused.path("id").asText();

        String pause = onPull(pull, comment(301, "maintainer", "/drep pause"));
        String delivery = UUID.randomUUID().toString();
        assertThat(deliver(paused, delivery, pause).statusCode()).isEqualTo(200);
        // Gitea retrying: the comment is answered once
        assertThat(deliver(paused, delivery, pause).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> repliesOn(comments).size() == 1);
        assertThat(repliesOn(comments).get(0)).startsWith("@maintainer, automatic reviews of this pull request are paused");

        // a push to the paused pull request: no review
        HttpResponse<String> pushedWhilePaused = stack.deliver(paused, "pull_request",
                "pull_request", pushed(pull));
        assertThat(pushedWhilePaused.statusCode()).as(pushedWhilePaused.body()).isEqualTo(200);
        assertThat(pushedWhilePaused.body()).contains("are paused (/drep pause by maintainer)");
        assertThat(call("GET", jobs, null, 200).findValuesAsText("id")).isEmpty();

        deliver(paused, UUID.randomUUID().toString(), onPull(pull, comment(302, "maintainer", "/drep resume")));
        await().atMost(Duration.ofSeconds(30)).until(() -> repliesOn(comments).size() == 2);
        assertThat(repliesOn(comments).get(1)).startsWith("@maintainer, automatic reviews of this pull request are on again");
        HttpResponse<String> reviewed = stack.deliver(paused, "pull_request", "pull_request",
                pushed(pull));
        assertThat(reviewed.statusCode()).as(reviewed.body()).isEqualTo(202);
        String jobId = JSON.readTree(reviewed.body()).path("jobId").asText();
        stack.awaitDone(jobId);

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
                        "head", Map.of("ref", "feature-8", "sha", change.head(), "repo", Map.of("full_name", PAUSED)),
                        "base", Map.of("ref", "main", "sha", change.base(), "repo", Map.of("full_name", PAUSED)),
                        "user", Map.of("login", "octocat")),
                "repository", repo, "sender", Map.of("login", "octocat")));
    }

    private static List<LoggedRequest> commentsContaining(String text) {
        return gitea.findAll(postRequestedFor(urlPathEqualTo(COMMENTS)).withRequestBody(containing(text)));
    }

    private static String comment(long id, String login, String body) throws Exception {
        return stack.gitea().commentPayload(PULL_REQUEST, id, login, body);
    }

    private static HttpResponse<String> deliver(String delivery, String body) throws Exception {
        return stack.deliverComment(delivery, body);
    }

    private static HttpResponse<String> deliver(JsonNode repository, String delivery, String body) throws Exception {
        return stack.deliverComment(repository, delivery, body);
    }

    private static JsonNode call(String method, String path, Object body, int expected) throws Exception {
        return stack.call(method, path, body, expected);
    }
}
