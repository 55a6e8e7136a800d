package dev.drep.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.testsupport.git.TestRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, item 4, through the four real services of a {@code drep up} stack and a fake Gitea: a reader's 👎 on drep's
 * inline comment is read at the pull request's next review ({@code /drep review}), which then lists the finding as
 * rejected (not justified, not commented on again); the repository's learnings list the reaction, and the acceptance
 * table counts the finding rejected under its rule and model ({@code none}: the markdown checks are deterministic).
 */
class ReactionsEndToEndTest extends GiteaStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPOSITORY = "acme/reactions";
    private static final String API = "/api/v1/repos/" + REPOSITORY;
    private static final String RULE = "md.trailing-whitespace";

    private static GiteaFake gitea;
    private static GuideChange change;

    @BeforeAll
    static void startGiteaStackAndRepository() throws Exception {
        Path origin = work.resolve("origin");
        try (TestRepository repo = TestRepository.init(origin)) {
            change = GuideChange.commit(repo, "A trailing space ");
        }
        stack = GiteaStack.of(REPOSITORY).up(work);
        gitea = stack.gitea();
        gitea.openPullRequest(origin, 5, change.base(), change.head(), "feature-5");
        gitea.grant("maintainer", "write");
        stack.register(origin);
    }

    @Test
    void aThumbsDownOnDrepsCommentIsReadAtTheNextReviewListedAsRejectedAndCountedInTheAcceptanceTable()
            throws Exception {
        // 1. the review of pull request 5 comments on the trailing space
        stack.awaitDone(stack.deliverPullRequestOpened(5, change.base(), change.head()));
        GiteaFake.PostedReview review = gitea.onlyReview(5, RULE);
        JsonNode posted = review.review();
        JsonNode comment = review.comment();
        int line = comment.path("new_position").asInt();

        // 2. Gitea now shows drep's review with its comment, and a reader's 👎 on it
        gitea.server().stubFor(get(urlPathEqualTo(API + "/pulls/5/reviews")).willReturn(okJson(JSON.writeValueAsString(
                List.of(Map.of("id", 90, "body", posted.path("body").asText()))))));
        gitea.server().stubFor(get(urlPathEqualTo(API + "/pulls/5/reviews/90/comments")).willReturn(okJson(
                JSON.writeValueAsString(List.of(Map.of("id", 901, "path", "docs/guide.md", "position", line,
                        "user", Map.of("login", "drep-bot"), "body", comment.path("body").asText()))))));
        gitea.server().stubFor(get(urlPathEqualTo(API + "/issues/comments/901/reactions")).willReturn(okJson(
                JSON.writeValueAsString(List.of(Map.of("content", "-1", "user", Map.of("login", "reader")),
                        Map.of("content", "laugh", "user", Map.of("login", "someone")))))));

        // 3. /drep review: the reactions are read before the review is posted; the finding is listed as rejected
        gitea.server().resetRequests();
        stack.awaitDone(stack.deliverComment(gitea.commentPayload(5, 913, "maintainer", "/drep review")));
        assertThat(gitea.server().findAll(getRequestedFor(urlPathEqualTo(API + "/issues/comments/901/reactions"))))
                .isNotEmpty();
        assertThat(gitea.server().findAll(postRequestedFor(urlPathEqualTo(API + "/pulls/5/reviews"))))
                .as("the rejected finding is not commented on again").isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> gitea.server()
                .findAll(patchRequestedFor(urlPathMatching(API + "/issues/comments/[0-9]+"))).stream()
                .anyMatch(r -> r.getBodyAsString().contains("- rejected: `docs/guide.md:" + line + "` `" + RULE
                        + "`, 👎 by `reader`") && !r.getBodyAsString().contains("- justified")));

        String id = stack.repositoryId();
        JsonNode learnings = stack.call("GET", "/api/repositories/" + id + "/learnings", null, 200);
        assertThat(learnings.path("learnings")).hasSize(1);
        assertThat(learnings.path("learnings").get(0).path("kind").asText()).isEqualTo("reaction");
        assertThat(learnings.path("learnings").get(0).path("author").asText()).isEqualTo("reader");
        JsonNode acceptance = stack.call("GET", "/api/repositories/" + id + "/acceptance", null, 200);
        JsonNode row = null;
        for (JsonNode r : acceptance.path("rows")) {
            if (r.path("rule").asText().equals(RULE)) {
                row = r;
            }
        }
        assertThat(row).as("the acceptance row of %s: %s", RULE, acceptance).isNotNull();
        assertThat(row.path("model").asText()).isEqualTo("none");
        assertThat(row.path("posted").asInt()).isEqualTo(1);
        assertThat(row.path("rejected").asInt()).isEqualTo(1);
        assertThat(row.path("rate").asDouble()).isEqualTo(0.0);
    }
}
