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
import dev.drep.testsupport.git.TestRepository;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, items 3 and 4, through the four real services of a {@code drep up} stack and a fake Gitea: a maintainer's
 * reply in the thread of drep's inline finding ("This is intentional: ...") justifies it — the next review of that pull
 * request lists it as justified and does not comment on it again — and, with {@code suppress-after} 1, the rule is not
 * commented on in the next review of another pull request of the repository; the learning is listed by
 * {@code GET /api/repositories/{id}/learnings} and exported as {@code .drep.yaml} lines.
 */
class LearningFromFeedbackEndToEndTest extends GiteaStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPOSITORY = "acme/feedback";
    private static final String API = "/api/v1/repos/" + REPOSITORY;
    private static final String RULE = "md.trailing-whitespace";

    private static GiteaFake gitea;
    private static GuideChange change;
    private static String other;

    @BeforeAll
    static void startGiteaStackAndRepository() throws Exception {
        Path origin = work.resolve("origin");
        try (TestRepository repo = TestRepository.init(origin)) {
            change = GuideChange.commit(repo, "A trailing space ");
            repo.write("docs/other.md", "# Other\n\nMore text \n");
            other = repo.commit("other");
        }
        GiteaFake.openPullRequest(origin, 6, change.base(), other);
        stack = GiteaStack.of(REPOSITORY).withVariable("DREP_PUBLISHER_LEARNINGS_SUPPRESS_AFTER", "1").up(work);
        gitea = stack.gitea();
        gitea.openPullRequest(origin, 5, change.base(), change.head(), "feature-5");
        gitea.grant("maintainer", "write");
        gitea.grant("visitor", "read");
        stack.register(origin);
    }

    @Test
    void aJustifiedFindingIsNotRaisedAgainAndItsRuleIsNotPostedInTheNextReviewOfTheRepository() throws Exception {
        // 1. the review of pull request 5 comments on the trailing space
        stack.awaitDone(stack.deliverPullRequestOpened(5, change.base(), change.head()));
        GiteaFake.PostedReview review = gitea.onlyReview(5, RULE);
        JsonNode posted = review.review();
        JsonNode comment = review.comment();

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
        HttpResponse<String> visitor = stack.deliverComment(
                gitea.commentPayload(5, 912, "visitor", "This is intentional, trust me."));
        assertThat(visitor.statusCode()).as(visitor.body()).isEqualTo(200);
        assertThat(JSON.readTree(visitor.body()).path("status").asText()).isEqualTo("ignored");
        HttpResponse<String> maintainer = stack.deliverComment(gitea.commentPayload(5, 911, "maintainer",
                "This is intentional: two trailing spaces would be a line break, one is a typo we keep for the test."));
        assertThat(maintainer.statusCode()).as(maintainer.body()).isEqualTo(200);
        assertThat(JSON.readTree(maintainer.body()).path("status").asText()).isEqualTo("justified");

        JsonNode learnings = stack.call("GET", "/api/repositories/" + stack.repositoryId() + "/learnings",
                null, 200);
        assertThat(learnings.path("learnings")).hasSize(1);
        assertThat(learnings.path("learnings").get(0).path("author").asText()).isEqualTo("maintainer");
        assertThat(learnings.path("learnings").get(0).path("rule").asText()).isEqualTo(RULE);
        assertThat(text("/api/repositories/" + stack.repositoryId() + "/learnings?format=drep-yaml"))
                .contains("suppress-rules:\n  - \"" + RULE + "\"");

        // 3. pull request 6 of the same repository: the rule is no longer commented on, the summary says why
        stack.awaitDone(stack.deliverPullRequestOpened(6, change.base(), other));
        assertThat(gitea.server().findAll(postRequestedFor(urlPathEqualTo(API + "/pulls/6/reviews"))))
                .extracting(LoggedRequest::getBodyAsString).noneMatch(body -> body.contains(RULE));
        List<LoggedRequest> summaries6 = gitea.server().findAll(postRequestedFor(urlPathEqualTo(API + "/issues/6/comments")));
        assertThat(summaries6).extracting(LoggedRequest::getBodyAsString)
                .anyMatch(body -> body.contains("rule suppressed in this repository: 1 of its findings were justified"));

        // 4. pull request 5 reviewed again (/drep review): the justified finding is listed as such, not commented on
        gitea.server().resetRequests();
        stack.awaitDone(stack.deliverComment(gitea.commentPayload(5, 913, "maintainer", "/drep review")));
        assertThat(gitea.server().findAll(postRequestedFor(urlPathEqualTo(API + "/pulls/5/reviews")))).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> gitea.server()
                .findAll(patchRequestedFor(urlPathMatching(API + "/issues/comments/[0-9]+"))).stream()
                .anyMatch(r -> r.getBodyAsString().contains("- justified: `docs/guide.md:" + line + "` `" + RULE
                        + "`, by `maintainer`")));
    }

    private static String text(String path) throws Exception {
        String token = Files.readString(work.resolve("data").resolve("admin-token")).strip();
        HttpResponse<String> response = GiteaStack.http().send(HttpRequest.newBuilder(stack.scanner().resolve(path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
