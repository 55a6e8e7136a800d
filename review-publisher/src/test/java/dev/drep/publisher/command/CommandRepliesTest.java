package dev.drep.publisher.command;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.drep.publisher.PlatformFakes.body;
import static dev.drep.publisher.PlatformFakes.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drep.contracts.CommandReply;
import dev.drep.contracts.CommandReply.CommentPlace;
import dev.drep.contracts.PullRequestRef;
import dev.drep.publisher.PlatformFakes;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * drep's answers to pull request commands ({@code PUT /internal/replies/{id}}) on WireMock fakes of GitHub, Gitea and
 * GitLab answering with their documented shapes: in the thread of the comment where the platform has threads, and
 * posted once however often the scanner hands a reply over, also after a post whose outcome was lost.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class CommandRepliesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WireMockServer platform = PlatformFakes.server();
    private String repo;

    @BeforeEach
    void freshRepository() {
        repo = "acme/replies-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aGitHubReplyIsPostedOnceHoweverOftenItIsHandedOver() {
        String comments = "/repos/" + repo + "/issues/1/comments";
        platform.stubFor(post(urlPathEqualTo(comments)).willReturn(okJson("{\"id\": 71, \"body\": \"x\"}")));
        CommandReply reply = reply("github", PlatformFakes.baseUrl(), new CommentPlace("conversation", "7", null));

        put(reply).then().statusCode(204);
        put(reply).then().statusCode(204);

        String posted = body(single(postRequestedFor(urlPathEqualTo(comments)))).path("body").asText();
        assertThat(posted).startsWith("@alice, drep answers these commands")
                .endsWith(CommandReplies.marker(reply.replyId()));
    }

    @Test
    void aReplyToAGitHubReviewCommentGoesIntoItsThread() {
        String replies = "/repos/" + repo + "/pulls/1/comments/555/replies";
        platform.stubFor(post(urlPathEqualTo(replies)).willReturn(okJson("{\"id\": 72, \"body\": \"x\"}")));

        put(reply("github", PlatformFakes.baseUrl(), new CommentPlace("review-comment", "555", null))).then().statusCode(204);

        assertThat(body(single(postRequestedFor(urlPathEqualTo(replies)))).path("body").asText()).contains("drep answers");
    }

    @Test
    void aReplyToAGitLabDiscussionNoteGoesIntoTheDiscussionAndAPlainNoteGetsANote() {
        String project = "/api/v4/projects/" + repo.replace("/", "%2F") + "/merge_requests/1";
        platform.stubFor(post(urlPathEqualTo(project + "/discussions/d-42/notes")).willReturn(okJson("{\"id\": 73, \"body\": \"x\"}")));
        platform.stubFor(post(urlPathEqualTo(project + "/notes")).willReturn(okJson("{\"id\": 74, \"body\": \"x\"}")));

        put(reply("gitlab", PlatformFakes.baseUrl(), new CommentPlace("discussion", "9", "d-42"))).then().statusCode(204);
        put(reply("gitlab", PlatformFakes.baseUrl(), new CommentPlace("conversation", "10", null))).then().statusCode(204);

        single(postRequestedFor(urlPathEqualTo(project + "/discussions/d-42/notes")));
        single(postRequestedFor(urlPathEqualTo(project + "/notes")));
    }

    @Test
    void aGiteaReplyIsAConversationComment() {
        String comments = "/api/v1/repos/" + repo + "/issues/1/comments";
        platform.stubFor(post(urlPathEqualTo(comments)).willReturn(okJson("{\"id\": 75, \"body\": \"x\"}")));

        put(reply("gitea", PlatformFakes.baseUrl(), new CommentPlace("conversation", "11", null))).then().statusCode(204);

        single(postRequestedFor(urlPathEqualTo(comments)));
    }

    @Test
    void aReplyWhosePostFailedAfterThePlatformTookItIsFoundByItsMarkerAndNotPostedAgain() {
        String comments = "/repos/" + repo + "/issues/1/comments";
        // the platform stores the comment but the answer is lost (a 502 from a proxy in front of it)
        platform.stubFor(post(urlPathEqualTo(comments)).willReturn(aResponse().withStatus(502)));
        CommandReply reply = reply("github", PlatformFakes.baseUrl(), new CommentPlace("conversation", "12", null));

        put(reply).then().statusCode(503).body("message", containsString("try again later"));
        int failedPosts = platform.findAll(postRequestedFor(urlPathEqualTo(comments))).size();
        assertThat(failedPosts).isPositive();

        platform.stubFor(get(urlPathEqualTo(comments)).willReturn(okJson("[{\"id\": 76, \"body\": \"@alice, drep answers\\n\\n"
                + CommandReplies.marker(reply.replyId()) + "\"}]")));
        platform.stubFor(get(urlPathEqualTo("/repos/" + repo + "/pulls/1/comments")).willReturn(okJson("[]")));
        platform.stubFor(post(urlPathEqualTo(comments)).willReturn(okJson("{\"id\": 77, \"body\": \"x\"}")));
        put(reply).then().statusCode(204);
        put(reply).then().statusCode(204);

        assertThat(platform.findAll(postRequestedFor(urlPathEqualTo(comments)))).hasSize(failedPosts);
    }

    @Test
    void aReplyWithoutAPlaceOrABodyIsRefusedNamingTheField() {
        CommandReply reply = reply("github", PlatformFakes.baseUrl(), null);
        put(reply).then().statusCode(400).body("message", containsString("replyTo.kind"));
        CommandReply empty = new CommandReply(reply.replyId(), reply.pullRequest(), new CommentPlace("conversation", "1", null), " ");
        put(empty).then().statusCode(400).body("message", containsString("'body'"));
    }

    private CommandReply reply(String platformName, String apiUrl, CommentPlace place) {
        PullRequestRef ref = new PullRequestRef(platformName, apiUrl, repo, null, 1, null, null, null, PlatformFakes.TOKEN_REF);
        return new CommandReply(UUID.randomUUID().toString(), ref, place, "@alice, drep answers these commands: ...");
    }

    private static Response put(CommandReply reply) {
        try {
            return TestTokens.as(TestTokens.SCANNER_SERVICE).contentType(ContentType.JSON).body(JSON.writeValueAsString(reply))
                    .put("/internal/replies/" + reply.replyId());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
