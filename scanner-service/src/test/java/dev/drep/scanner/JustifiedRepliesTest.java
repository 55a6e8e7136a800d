package dev.drep.scanner;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.noContent;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.drep.scanner.Platforms.deliverGithub;
import static dev.drep.scanner.Platforms.deliverGitlab;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.CommandReply.CommentPlace;
import dev.drep.contracts.JustifiedReply;
import dev.drep.scanner.webhook.WebhookSignatures;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Justified" replies (issue 17, item 3) as the scanner receives them, on fakes of GitHub and GitLab with their
 * documented payloads (octokit's {@code pull_request_review_comment} example; GitLab's note event): a reply in the
 * thread of a diff comment that explains why the code is right, by someone with write access or the pull request's
 * author, is handed to the publisher ({@code PUT /internal/justifications/{key}}, the stub here); other replies are not.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class JustifiedRepliesTest {
    /**
     * Answers to commands the scanner handed to the (shared) publisher stub for this repository: other test classes'
     * commands may still be answered meanwhile.
     */
    private static List<LoggedRequest> replies(String repository) {
        return server().findAll(putRequestedFor(urlPathMatching("/internal/replies/.*"))).stream()
                .filter(request -> request.getBodyAsString().contains("\"repository\":\"" + repository + "\""))
                .toList();
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JUSTIFYING = "This is intentional: the blank line keeps the list apart.";
    private TestOrigin origin;

    @BeforeEach
    void repository() throws Exception {
        server().stubFor(put(urlPathMatching("/internal/justifications/.*")).willReturn(okJson("{\"fingerprints\": [\"ab12cd34\"]}")));
        server().stubFor(put(urlPathMatching("/internal/replies/.*")).willReturn(noContent()));
        origin = TestOrigin.create();
        origin.work.write("README.md", "# Docs\n").commit("base");
        origin.push("refs/heads/main", "refs/heads/main");
    }

    @Test
    void aJustifyingReplyByAWriterInAGithubDiffThreadIsHandedToThePublisherWithTheThread() throws Exception {
        String name = Platforms.uniqueName("acme/justify");
        Platforms.register("github", name, origin.url(), server().baseUrl());
        githubPermission(name, "Codertocat", "write");

        ObjectNode reply = githubReply(name, 7001, 5001L, JUSTIFYING);
        deliverGithub("pull_request_review_comment", UUID.randomUUID().toString(), JSON.writeValueAsString(reply))
                .then().statusCode(200).body("status", equalTo("justified"));

        JustifiedReply sent = onlyJustification(name);
        assertThat(sent.replyKey()).isEqualTo("review_comment:7001");
        assertThat(sent.thread()).isEqualTo(new CommentPlace(CommentPlace.REVIEW_COMMENT, "5001", null));
        assertThat(sent.author()).isEqualTo("Codertocat");
        assertThat(sent.reason()).isEqualTo(JUSTIFYING);
        assertThat(replies(name)).as("no command answered").isEmpty();
    }

    @Test
    void aJustifyingReplyByAUserWithoutWriteAccessWhoDidNotOpenThePullRequestIsNotCounted() throws Exception {
        String name = Platforms.uniqueName("acme/visitor");
        Platforms.register("github", name, origin.url(), server().baseUrl());
        githubPermission(name, "Codertocat", "read");
        githubPullRequest(name, 1, "someone-else");

        deliverGithub("pull_request_review_comment", UUID.randomUUID().toString(),
                JSON.writeValueAsString(githubReply(name, 7002, 5001L, JUSTIFYING)))
                .then().statusCode(200).body("status", equalTo("ignored")).body("message", containsString("no write access"));

        assertThat(justifications(name)).isEmpty();
    }

    @Test
    void thePullRequestsAuthorMayJustifyWithoutWriteAccess() throws Exception {
        String name = Platforms.uniqueName("acme/author");
        Platforms.register("github", name, origin.url(), server().baseUrl());
        githubPermission(name, "Codertocat", "read");
        githubPullRequest(name, 1, "Codertocat");

        deliverGithub("pull_request_review_comment", UUID.randomUUID().toString(),
                JSON.writeValueAsString(githubReply(name, 7003, 5001L, "/drep justified generated file, not edited by hand")))
                .then().statusCode(200).body("status", equalTo("justified"));

        assertThat(onlyJustification(name).reason()).isEqualTo("generated file, not edited by hand");
    }

    @Test
    void aReplyInAThreadThatIsNotDrepsRecordsNothingAndRunsNoCommand() throws Exception {
        String name = Platforms.uniqueName("acme/not-ours");
        Platforms.register("github", name, origin.url(), server().baseUrl());
        githubPermission(name, "Codertocat", "admin");
        server().stubFor(put(urlPathMatching("/internal/justifications/review_comment%3A7004|/internal/justifications/review_comment:7004"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": \"not_drep_thread\", \"message\": \"not drep's\"}")));

        deliverGithub("pull_request_review_comment", UUID.randomUUID().toString(),
                JSON.writeValueAsString(githubReply(name, 7004, 5009L, JUSTIFYING)))
                .then().statusCode(200).body("status", equalTo("ignored"))
                .body("message", containsString("not one of drep's findings"));

        assertThat(justifications(name)).hasSize(1);
        assertThat(replies(name)).as("no command answered").isEmpty();
    }

    @Test
    void aReplyThatDoesNotJustifyOrIsNotInAThreadAsksNoOneAndRecordsNothing() throws Exception {
        String name = Platforms.uniqueName("acme/thanks");
        Platforms.register("github", name, origin.url(), server().baseUrl());

        for (String body : List.of("Good catch, fixed!", "Why is this a problem?")) {
            deliverGithub("pull_request_review_comment", UUID.randomUUID().toString(),
                    JSON.writeValueAsString(githubReply(name, Math.abs(UUID.randomUUID().getLeastSignificantBits() % 100000), 5001L, body)))
                    .then().statusCode(200).body("status", equalTo("ignored"));
        }
        // a diff comment that opens a thread of its own is not a reply to drep
        ObjectNode top = githubReply(name, 7010, null, JUSTIFYING);
        deliverGithub("pull_request_review_comment", UUID.randomUUID().toString(), JSON.writeValueAsString(top))
                .then().statusCode(200).body("status", equalTo("ignored"));

        assertThat(justifications(name)).isEmpty();
        assertThat(server().findAll(getRequestedFor(urlPathMatching("/repos/" + name + "/.*")))).isEmpty();
    }

    @Test
    void aBotsReplyIsNotCounted() throws Exception {
        String name = Platforms.uniqueName("acme/bot");
        Platforms.register("github", name, origin.url(), server().baseUrl());
        ObjectNode reply = githubReply(name, 7020, 5001L, JUSTIFYING);
        ((ObjectNode) reply.path("comment").path("user")).put("type", "Bot").put("login", "other-bot[bot]");

        deliverGithub("pull_request_review_comment", UUID.randomUUID().toString(), JSON.writeValueAsString(reply))
                .then().statusCode(200).body("status", equalTo("ignored"));

        assertThat(justifications(name)).isEmpty();
    }

    @Test
    void aForgedReplyWebhookIsRefusedBeforeAnythingIsRecorded() throws Exception {
        String name = Platforms.uniqueName("acme/forged-reply");
        Platforms.register("github", name, origin.url(), server().baseUrl());
        String body = JSON.writeValueAsString(githubReply(name, 7030, 5001L, JUSTIFYING));
        deliverGithub("pull_request_review_comment", UUID.randomUUID().toString(), body,
                "sha256=" + WebhookSignatures.sign("not the secret", Platforms.bytes(body))).then().statusCode(401);
        String gitlab = Platforms.uniqueName("group/forged-reply");
        Platforms.register("gitlab", gitlab, origin.url(), server().baseUrl());
        deliverGitlab("Note Hook", UUID.randomUUID().toString(), gitlabReply(gitlab, 3, 8030, "disc-1", JUSTIFYING),
                "wrong-token").then().statusCode(401);

        assertThat(justifications(name)).isEmpty();
        assertThat(justifications(gitlab)).isEmpty();
    }

    @Test
    void aJustifyingReplyByADeveloperInAGitlabDiscussionNamesTheDiscussion() throws Exception {
        String name = Platforms.uniqueName("group/justify");
        Platforms.register("gitlab", name, origin.url(), server().baseUrl());
        // user 77: PullRequestCommandsTest counts the lookups of user 7 on the same fake
        server().stubFor(get(urlPathMatching("/api/v4/projects/[^/]+/members/all/77")).willReturn(okJson(
                "{\"id\":77,\"username\":\"maria\",\"state\":\"active\",\"access_level\":30}")));

        deliverGitlab("Note Hook", UUID.randomUUID().toString(), gitlabReply(name, 3, 8001, "6a9c1750b37d", "By design, see ADR 4."))
                .then().statusCode(200).body("status", equalTo("justified"));

        JustifiedReply sent = onlyJustification(name);
        assertThat(sent.replyKey()).isEqualTo("note:8001");
        assertThat(sent.thread()).isEqualTo(new CommentPlace(CommentPlace.DISCUSSION, "8001", "6a9c1750b37d"));
        assertThat(sent.author()).isEqualTo("maria");
    }

    private static WireMockServer server() {
        return PublisherStubResource.server;
    }

    private static void githubPermission(String name, String login, String permission) {
        server().stubFor(get(urlPathEqualTo("/repos/" + name + "/collaborators/" + login + "/permission"))
                .willReturn(okJson("{\"permission\":\"" + permission + "\",\"role_name\":\"" + permission + "\"}")));
    }

    private static void githubPullRequest(String name, int number, String author) throws Exception {
        server().stubFor(get(urlPathEqualTo("/repos/" + name + "/pulls/" + number)).willReturn(okJson(JSON.writeValueAsString(
                Map.of("number", number, "state", "open", "user", Map.of("login", author),
                        "base", Map.of("ref", "main", "sha", "a".repeat(40)), "head", Map.of("ref", "f", "sha", "b".repeat(40)))))));
    }

    /** octokit's pull_request_review_comment example as a reply to {@code inReplyTo} (none: a thread's first comment) */
    private static ObjectNode githubReply(String name, long id, Long inReplyTo, String body) throws Exception {
        ObjectNode example = null;
        try (var in = JustifiedRepliesTest.class.getResourceAsStream("/octokit/webhooks-examples-7.6.1.json")) {
            for (JsonNode candidate : JSON.readTree(in).path("pull_request_review_comment")) {
                if ("created".equals(candidate.path("action").asText())) {
                    example = candidate.deepCopy();
                    break;
                }
            }
        }
        assertThat(example).as("octokit's pull_request_review_comment example").isNotNull();
        ((ObjectNode) example.path("repository")).put("full_name", name);
        ((ObjectNode) example.path("pull_request")).put("number", 1);
        ObjectNode comment = (ObjectNode) example.path("comment");
        comment.put("id", id).put("body", body);
        if (inReplyTo != null) {
            comment.put("in_reply_to_id", inReplyTo);
        } else {
            comment.remove("in_reply_to_id");
        }
        return example;
    }

    /** GitLab's note event for a reply in a merge request's diff discussion */
    private static String gitlabReply(String name, int iid, long noteId, String discussion, String note) {
        Map<String, Object> attributes = new HashMap<>(Map.of("id", noteId, "note", note, "noteable_type", "MergeRequest",
                "author_id", 77, "project_id", 42, "system", false, "discussion_id", discussion, "action", "create",
                "type", "DiffNote"));
        return Platforms.json(Map.of("object_kind", "note", "event_type", "note",
                "user", Map.of("id", 77, "name", "Maria", "username", "maria"),
                "project_id", 42,
                "project", Map.of("id", 42, "path_with_namespace", name, "default_branch", "main"),
                "object_attributes", attributes,
                "merge_request", Map.of("id", 900 + iid, "iid", iid, "state", "opened", "source_branch", "feature",
                        "target_branch", "main", "last_commit", Map.of("id", "c".repeat(40)))));
    }

    private static List<JustifiedReply> justifications(String name) {
        ObjectMapper json = JSON.copy().findAndRegisterModules();
        return server().findAll(putRequestedFor(urlPathMatching("/internal/justifications/.*"))).stream().map(request -> {
            try {
                return json.readValue(request.getBodyAsString(), JustifiedReply.class);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(reply -> reply.pullRequest().repository().equals(name)).toList();
    }

    private static JustifiedReply onlyJustification(String name) {
        List<JustifiedReply> sent = justifications(name);
        assertThat(sent).as("justifications of " + name).hasSize(1);
        return sent.get(0);
    }
}
