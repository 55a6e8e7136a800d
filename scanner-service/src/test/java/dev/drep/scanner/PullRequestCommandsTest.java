package dev.drep.scanner;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.noContent;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.drep.scanner.Platforms.deliverGitea;
import static dev.drep.scanner.Platforms.deliverGithub;
import static dev.drep.scanner.Platforms.deliverGitlab;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drep.contracts.CommandReply;
import dev.drep.contracts.DescribeMode;
import dev.drep.contracts.WorkUnit;
import dev.drep.scanner.webhook.WebhookSignatures;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Commands in pull request comments on fakes of GitHub, Gitea and GitLab (WireMock, the payloads as the platforms
 * document them: octokit's examples for GitHub): who may run them, what is not a command, and each answered once.
 * The publisher is the stub too: a reply is a {@code PUT /internal/replies/{id}} it receives.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class PullRequestCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private TestOrigin origin;
    private String base;
    private String head;

    @BeforeEach
    void repository() throws Exception {
        server().stubFor(put(urlPathMatching("/internal/replies/.*")).willReturn(noContent()));
        origin = TestOrigin.create();
        base = origin.work.write("README.md", "# Docs\n").commit("base");
        origin.push("refs/heads/main", "refs/heads/main");
        head = origin.work.branch("feature").write("guide.md", "# Guide\n").commit("guide");
        origin.push("refs/heads/feature", "refs/pull/1/head").push("refs/heads/feature", "refs/pull/2/head")
                .push("refs/heads/feature", "refs/merge-requests/3/head");
    }

    @Test
    void aCommandFromAUserWithoutWriteAccessIsRefusedPolitelyAndNotRun() throws Exception {
        String name = Platforms.uniqueName("acme/refuse");
        String id = Platforms.register("github", name, origin.url(), server().baseUrl());
        githubPermission(name, "Codertocat", "read");

        deliverGithub("issue_comment", UUID.randomUUID().toString(), githubIssueComment(name, "/drep pause"))
                .then().statusCode(200).body("status", equalTo("answered"));

        CommandReply reply = onlyReply(name);
        assertThat(reply.body()).startsWith("@Codertocat, only people with write access to " + name)
                .contains("`/drep pause` was not run");
        assertThat(reply.replyTo().kind()).isEqualTo("conversation");
        // not paused: the next push is reviewed
        deliverGithub("pull_request", UUID.randomUUID().toString(), Platforms.githubPullRequest("synchronize", name, 1, base, head))
                .then().statusCode(202).body("status", equalTo("queued"));
        assertThat(jobsOf(id)).hasSize(1);
    }

    @Test
    void anUnknownCommandGetsAReplyNamingItAndPointingToHelp() throws Exception {
        String name = Platforms.uniqueName("acme/unknown");
        String id = Platforms.register("gitea", name, origin.url(), server().baseUrl());
        server().stubFor(get(urlPathEqualTo("/api/v1/repos/" + name + "/collaborators/alice/permission"))
                .willReturn(okJson("{\"permission\":\"write\",\"role_name\":\"write\",\"user\":{\"login\":\"alice\"}}")));

        deliverGitea("issue_comment", UUID.randomUUID().toString(), giteaComment(name, 1, 9001, "alice",
                "Please take another look.\n/drep frobnicate now")).then().statusCode(200).body("status", equalTo("answered"));

        assertThat(onlyReply(name).body()).isEqualTo("@alice, `/drep frobnicate` is not a command drep knows. "
                + "`/drep help` lists the commands.");
        assertThat(jobsOf(id)).isEmpty();
    }

    @Test
    void drepJustifiedOutsideAFindingsThreadIsAnsweredWithWhereToWriteItNotAsAnUnknownCommand() throws Exception {
        String name = Platforms.uniqueName("acme/top-justified");
        String id = Platforms.register("github", name, origin.url(), server().baseUrl());
        githubPermission(name, "Codertocat", "write");

        deliverGithub("issue_comment", UUID.randomUUID().toString(),
                githubIssueComment(name, "/drep justified the tabs are needed by make")).then().statusCode(200)
                .body("status", equalTo("answered"));

        String answer = onlyReply(name).body();
        assertThat(answer).startsWith("@Codertocat, `/drep justified` marks one finding justified: write it as a reply "
                + "in the thread of drep's inline comment on that finding").doesNotContain("not a command drep knows");
        assertThat(jobsOf(id)).isEmpty();
    }

    @Test
    void drepJustifyOnGiteaThatJustifiesNoFindingOfDrepsGetsTheSameAnswer() throws Exception {
        String name = Platforms.uniqueName("acme/gitea-justify");
        Platforms.register("gitea", name, origin.url(), server().baseUrl());
        server().stubFor(get(urlPathEqualTo("/api/v1/repos/" + name + "/collaborators/alice/permission"))
                .willReturn(okJson("{\"permission\":\"write\",\"role_name\":\"write\",\"user\":{\"login\":\"alice\"}}")));
        // Gitea's comment webhook names no thread: the publisher finds this comment in no thread of drep's
        server().stubFor(put(urlPathMatching("/internal/justifications/.*")).withRequestBody(containing(name))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": \"not_drep_thread\", \"message\": \"not drep's\"}")));

        deliverGitea("issue_comment", UUID.randomUUID().toString(), giteaComment(name, 1, 9101, "alice",
                "/drep justify it is generated")).then().statusCode(200).body("status", equalTo("answered"));

        assertThat(onlyReply(name).body()).startsWith("@alice, `/drep justify` marks one finding justified");
    }

    @Test
    void aCommandInsideACodeBlockOrAQuoteIsNotACommand() {
        String name = Platforms.uniqueName("acme/quoted");
        Platforms.register("github", name, origin.url(), server().baseUrl());

        for (String body : List.of("To review again, write:\n\n```\n/drep review\n```", "    /drep review",
                "> /drep pause\n\nI would rather not.", "say `/drep help` for help")) {
            deliverGithub("issue_comment", UUID.randomUUID().toString(), githubIssueComment(name, body))
                    .then().statusCode(200).body("status", equalTo("ignored"));
        }
        assertThat(replies(name)).isEmpty();
        // nobody was asked about permissions: a comment without a command costs no platform call
        assertThat(server().findAll(getRequestedFor(urlPathMatching("/repos/" + name + "/.*")))).isEmpty();
    }

    @Test
    void aCommandOnAClosedMergeRequestIsAnsweredAndDoesNothing() throws Exception {
        String name = Platforms.uniqueName("group/closed");
        String id = Platforms.register("gitlab", name, origin.url(), server().baseUrl());
        gitlabMember(7, 40);

        deliverGitlab("Note Hook", UUID.randomUUID().toString(), gitlabNote(name, 3, 1244, "/drep review", "closed", null))
                .then().statusCode(200).body("status", equalTo("answered"));

        assertThat(onlyReply(name).body()).isEqualTo("@maria, merge request !3 is closed: `/drep review` does nothing on "
                + "a closed merge request.");
        assertThat(jobsOf(id)).isEmpty();
    }

    @Test
    void aForgedCommentWebhookIsRefusedAndAnswersNothing() {
        String github = Platforms.uniqueName("acme/forged");
        Platforms.register("github", github, origin.url(), server().baseUrl());
        String body = githubIssueComment(github, "/drep review");
        deliverGithub("issue_comment", UUID.randomUUID().toString(), body, "sha256=" + WebhookSignatures.sign("not the secret",
                Platforms.bytes(body))).then().statusCode(401);
        String gitea = Platforms.uniqueName("acme/forged-gitea");
        Platforms.register("gitea", gitea, origin.url(), server().baseUrl());
        String giteaBody = giteaComment(gitea, 1, 1, "alice", "/drep pause");
        deliverGitea("issue_comment", UUID.randomUUID().toString(), giteaBody, WebhookSignatures.sign("nope",
                Platforms.bytes(giteaBody))).then().statusCode(401);
        String gitlab = Platforms.uniqueName("group/forged");
        Platforms.register("gitlab", gitlab, origin.url(), server().baseUrl());
        deliverGitlab("Note Hook", UUID.randomUUID().toString(), gitlabNote(gitlab, 3, 1, "/drep pause", "opened", null),
                "wrong-token").then().statusCode(401);

        assertThat(replies(github)).isEmpty();
        assertThat(replies(gitea)).isEmpty();
        assertThat(replies(gitlab)).isEmpty();
    }

    @Test
    void theSameDeliveryTwiceIsAnsweredOnceAndPauseHoldsUntilResume() throws Exception {
        String name = Platforms.uniqueName("group/pause");
        String id = Platforms.register("gitlab", name, origin.url(), server().baseUrl());
        gitlabMember(7, 30);
        String pause = gitlabNote(name, 3, 2001, "/drep pause", "opened", "DiscussionNote");

        deliverGitlab("Note Hook", "delivery-1", pause).then().statusCode(200).body("status", equalTo("answered"));
        // GitLab retrying the delivery, and someone pressing "resend" (a new idempotency key, the same note)
        deliverGitlab("Note Hook", "delivery-1", pause).then().statusCode(200).body("status", equalTo("duplicate"));
        deliverGitlab("Note Hook", "delivery-2", pause).then().statusCode(200).body("status", equalTo("duplicate"));

        CommandReply reply = onlyReply(name);
        assertThat(reply.body()).contains("automatic reviews of this pull request are paused");
        assertThat(reply.replyTo()).isEqualTo(new CommandReply.CommentPlace("discussion", "2001", "disc-2001"));
        // a push to the paused merge request starts nothing
        deliverGitlab("Merge Request Hook", UUID.randomUUID().toString(), Platforms.gitlabMergeRequest("update", name, 3, head, base))
                .then().statusCode(200).body("status", equalTo("ignored")).body("message", containsString("paused"));
        assertThat(jobsOf(id)).isEmpty();

        deliverGitlab("Note Hook", UUID.randomUUID().toString(), gitlabNote(name, 3, 2002, "/drep resume", "opened", null))
                .then().statusCode(200);
        assertThat(replies(name)).hasSize(2);
        assertThat(replies(name).get(1).body()).contains("are on again");
        deliverGitlab("Merge Request Hook", UUID.randomUUID().toString(), Platforms.gitlabMergeRequest("update", name, 3, head, base))
                .then().statusCode(202);
        assertThat(jobsOf(id)).hasSize(1);
        // one permission request for three commands: the answer is cached (this project's: other tests ask too)
        assertThat(server().findAll(getRequestedFor(urlPathEqualTo("/api/v4/projects/" + name.replace("/", "%2F")
                + "/members/all/7")))).hasSize(1);
    }

    @Test
    void drepReviewInAReviewCommentStartsAFullReviewOfTheHeadThatBypassesTheCachesAndIsAnsweredInTheThread() throws Exception {
        String name = Platforms.uniqueName("acme/review");
        String id = Platforms.register("github", name, origin.url(), server().baseUrl());
        githubPermission(name, "Codertocat", "admin");
        server().stubFor(get(urlPathEqualTo("/repos/" + name + "/pulls/2")).willReturn(okJson(JSON.writeValueAsString(Map.of(
                "number", 2, "state", "open", "user", Map.of("login", "Codertocat"),
                "base", Map.of("ref", "main", "sha", base), "head", Map.of("ref", "feature", "sha", head))))));
        ObjectNode example = octokit("pull_request_review_comment", "created");
        ((ObjectNode) example.path("repository")).put("full_name", name);
        ((ObjectNode) example.path("comment")).put("body", "Looks odd.\n\n/drep review");
        String delivery = UUID.randomUUID().toString();

        String jobId = deliverGithub("pull_request_review_comment", delivery, JSON.writeValueAsString(example))
                .then().statusCode(202).body("status", equalTo("queued")).extract().path("jobId");
        deliverGithub("pull_request_review_comment", delivery, JSON.writeValueAsString(example))
                .then().statusCode(200).body("status", equalTo("duplicate"));

        assertThat(jobsOf(id)).containsExactly(jobId);
        Platforms.awaitPlanned(jobId);
        List<WorkUnit> units = Platforms.units(jobId);
        assertThat(units).isNotEmpty().allMatch(WorkUnit::freshAnalysis);
        assertThat(Platforms.plan(jobId).head()).isEqualTo(head);
        CommandReply reply = onlyReply(name);
        assertThat(reply.body()).startsWith("@Codertocat, reviewing `" + head.substring(0, 12) + "` again").contains(jobId);
        assertThat(reply.replyTo()).isEqualTo(new CommandReply.CommentPlace("review-comment",
                example.path("comment").path("id").asText(), null));
    }

    @Test
    void drepDescribeOnGiteaPlansTheHeadWithAWalkthroughForTheDescriptionAndIsAnsweredOnce() throws Exception {
        String name = Platforms.uniqueName("acme/describe");
        String id = Platforms.register("gitea", name, origin.url(), server().baseUrl());
        server().stubFor(get(urlPathEqualTo("/api/v1/repos/" + name + "/collaborators/alice/permission"))
                .willReturn(okJson("{\"permission\":\"write\"}")));
        server().stubFor(get(urlPathEqualTo("/api/v1/repos/" + name + "/pulls/1")).willReturn(okJson(JSON.writeValueAsString(
                Map.of("number", 1, "state", "open", "user", Map.of("login", "octocat"),
                        "base", Map.of("ref", "main", "sha", base), "head", Map.of("ref", "feature", "sha", head))))));
        String comment = giteaComment(name, 1, 9100, "alice", "/drep describe");

        String jobId = deliverGitea("issue_comment", UUID.randomUUID().toString(), comment)
                .then().statusCode(202).body("status", equalTo("queued")).extract().path("jobId");
        deliverGitea("issue_comment", UUID.randomUUID().toString(), comment)
                .then().statusCode(200).body("status", equalTo("duplicate"));

        assertThat(jobsOf(id)).containsExactly(jobId);
        Platforms.awaitPlanned(jobId);
        Platforms.awaitFiles(jobId, Platforms.plan(jobId));
        assertThat(Platforms.plan(jobId).settings().describe()).isEqualTo(DescribeMode.BODY);
        List<WorkUnit> units = Platforms.units(jobId);
        assertThat(units).noneMatch(WorkUnit::freshAnalysis);
        WorkUnit describe = units.stream().filter(u -> u.analyzer().equals("describe")).findFirst().orElseThrow();
        assertThat(describe.files()).singleElement().satisfies(file -> {
            assertThat(file.path()).isEqualTo("guide.md");
            assertThat(file.content()).startsWith("diff --git a/guide.md b/guide.md").contains("+# Guide");
        });
        assertThat(Platforms.plan(jobId).unitIds()).contains(describe.unitId());
        assertThat(onlyReply(name).body()).startsWith("@alice, writing the walkthrough of `" + head.substring(0, 12)
                + "` into the pull request's description").contains(jobId);
    }

    @Test
    void helpListsTheCommandsAndOnlyTheFirstCommandOfACommentRuns() throws Exception {
        String name = Platforms.uniqueName("acme/help");
        Platforms.register("github", name, origin.url(), server().baseUrl());
        githubPermission(name, "Codertocat", "write");

        deliverGithub("issue_comment", UUID.randomUUID().toString(), githubIssueComment(name, "/drep help\n\n/drep pause"))
                .then().statusCode(200);

        String body = onlyReply(name).body();
        assertThat(body).contains("- `/drep review`", "- `/drep describe`", "- `/drep pause`", "- `/drep resume`",
                "- `/drep ask`", "- `/drep help`").endsWith("not run: `/drep pause`.");
    }

    private static WireMockServer server() {
        return PublisherStubResource.server;
    }

    private static void githubPermission(String name, String login, String permission) {
        server().stubFor(get(urlPathEqualTo("/repos/" + name + "/collaborators/" + login + "/permission"))
                .willReturn(okJson("{\"permission\":\"" + permission + "\",\"role_name\":\"" + permission + "\"}")));
    }

    private static void gitlabMember(long userId, int accessLevel) {
        server().stubFor(get(urlPathMatching("/api/v4/projects/[^/]+/members/all/" + userId)).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"id\":" + userId + ",\"username\":\"maria\",\"state\":\"active\",\"access_level\":" + accessLevel + "}")));
    }

    /** octokit's first example of {@code event} with {@code action} */
    private static ObjectNode octokit(String event, String action) throws Exception {
        try (var in = PullRequestCommandsTest.class.getResourceAsStream("/octokit/webhooks-examples-7.6.1.json")) {
            for (JsonNode example : JSON.readTree(in).path(event)) {
                if (action.equals(example.path("action").asText())) {
                    return example.deepCopy();
                }
            }
        }
        throw new AssertionError("no octokit example of " + event + " " + action);
    }

    /** octokit's issue_comment example, on pull request #1 of {@code name}, with {@code body} */
    private static String githubIssueComment(String name, String body) {
        try {
            ObjectNode example = octokit("issue_comment", "created");
            ((ObjectNode) example.path("repository")).put("full_name", name);
            ObjectNode issue = (ObjectNode) example.path("issue");
            issue.putObject("pull_request").put("url", "https://api.github.com/repos/" + name + "/pulls/1");
            ((ObjectNode) example.path("comment")).put("body", body).put("id", Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L));
            return JSON.writeValueAsString(example);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Gitea's issue_comment payload on a pull request (Gitea's IssueCommentPayload, {@code is_pull} true) */
    private static String giteaComment(String name, int number, long commentId, String login, String body) {
        return Platforms.json(Map.of("action", "created",
                "issue", Map.of("id", 100 + number, "number", number, "state", "open", "title", "Add a guide",
                        "pull_request", Map.of("merged", false), "user", Map.of("id", 1, "login", "octocat")),
                "comment", Map.of("id", commentId, "body", body, "user", Map.of("id", 5, "login", login),
                        "html_url", "https://gitea.example/" + name + "/pulls/" + number + "#issuecomment-" + commentId),
                "repository", Map.of("full_name", name, "default_branch", "main"),
                "sender", Map.of("id", 5, "login", login),
                "is_pull", true));
    }

    /** GitLab's note event on a merge request ("Comment on a merge request" in GitLab's webhook events docs) */
    private static String gitlabNote(String name, int iid, long noteId, String note, String state, String type) {
        Map<String, Object> attributes = new java.util.HashMap<>(Map.of("id", noteId, "note", note,
                "noteable_type", "MergeRequest", "author_id", 7, "project_id", 42, "system", false,
                "discussion_id", "disc-" + noteId, "action", "create",
                "url", "https://gitlab.example/" + name + "/-/merge_requests/" + iid + "#note_" + noteId));
        if (type != null) {
            attributes.put("type", type);
        }
        return Platforms.json(Map.of("object_kind", "note", "event_type", "note",
                "user", Map.of("id", 7, "name", "Maria", "username", "maria"),
                "project_id", 42,
                "project", Map.of("id", 42, "path_with_namespace", name, "default_branch", "main"),
                "object_attributes", attributes,
                "merge_request", Map.of("id", 900 + iid, "iid", iid, "state", state, "source_branch", "feature",
                        "target_branch", "main", "last_commit", Map.of("id", "c".repeat(40)))));
    }

    /** @return the replies the publisher stub was given for pull requests of {@code name}, in order */
    private static List<CommandReply> replies(String name) {
        ObjectMapper json = JSON.copy().findAndRegisterModules();
        return server().findAll(putRequestedFor(urlPathMatching("/internal/replies/.*"))).stream().map(request -> {
            try {
                return json.readValue(request.getBodyAsString(), CommandReply.class);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(reply -> reply.pullRequest().repository().equals(name)).toList();
    }

    private static CommandReply onlyReply(String name) {
        List<CommandReply> replies = replies(name);
        assertThat(replies).as("replies on " + name).hasSize(1);
        CommandReply reply = replies.get(0);
        assertThat(server().findAll(putRequestedFor(urlPathEqualTo("/internal/replies/" + reply.replyId())))).hasSize(1);
        return reply;
    }

    private static List<String> jobsOf(String repositoryId) {
        return WebhookApiTest.jobsOf(repositoryId);
    }
}
