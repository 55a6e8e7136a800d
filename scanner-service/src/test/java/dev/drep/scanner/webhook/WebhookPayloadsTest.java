package dev.drep.scanner.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.core.platform.Platform;
import dev.drep.scanner.api.ApiError;
import dev.drep.core.platform.Platform;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookPayloadsTest {
    private static final String BASE = "a".repeat(40);
    private static final String HEAD = "b".repeat(40);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private static String pullRequest(String action) {
        return "{'action':'" + action + "','number':5,'pull_request':{'state':'open','base':{'ref':'main','sha':'" + BASE
                + "'},'head':{'sha':'" + HEAD + "'},'user':{'login':'alice'}},'repository':{'full_name':'acme/docs','default_branch':'main'}}";
    }

    @Test
    void pullRequestActionsThatChangeTheHeadAreReviews() throws Exception {
        assertThat(WebhookPayloads.classify(Platform.GITHUB, "pull_request", json(pullRequest("synchronize")), "main"))
                .isEqualTo(new WebhookEvent.Review(5, "main", BASE, HEAD, "alice"));
        assertThat(WebhookPayloads.classify(Platform.GITEA, "pull_request", json(pullRequest("synchronized")), "main"))
                .isEqualTo(new WebhookEvent.Review(5, "main", BASE, HEAD, "alice"));
        assertThat(WebhookPayloads.classify(Platform.GITEA, "pull_request_sync", json(pullRequest("synchronized")), "main"))
                .isInstanceOf(WebhookEvent.Review.class);
        assertThat(WebhookPayloads.classify(Platform.GITHUB, "pull_request", json(pullRequest("edited")), "main"))
                .isInstanceOf(WebhookEvent.Ignored.class);
        assertThat(WebhookPayloads.repositoryName(Platform.GITHUB, json(pullRequest("opened")))).isEqualTo("acme/docs");
    }

    /** Octokit's example deliveries (test resource octokit/), the oracle for GitHub's payload shapes. */
    private static JsonNode octokit(String event) throws Exception {
        try (var in = WebhookPayloadsTest.class.getResourceAsStream("/octokit/webhooks-examples-7.6.1.json")) {
            return JSON.readTree(in).path(event);
        }
    }

    @Test
    void everyOctokitPullRequestExampleIsReviewedExactlyWhenItsHeadMayHaveChanged() throws Exception {
        JsonNode examples = octokit("pull_request");
        assertThat(examples).hasSizeGreaterThan(20);
        int reviews = 0;
        for (JsonNode example : examples) {
            String action = example.path("action").asText();
            JsonNode pr = example.path("pull_request");
            assertThat(WebhookPayloads.repositoryName(Platform.GITHUB, example)).isEqualTo(example.path("repository").path("full_name").asText());
            WebhookEvent event = WebhookPayloads.classify(Platform.GITHUB, "pull_request", example, "main");
            if (List.of("opened", "synchronize", "reopened").contains(action)) {
                assertThat(event).as(action).isEqualTo(new WebhookEvent.Review(example.path("number").asInt(),
                        pr.path("base").path("ref").asText(), pr.path("base").path("sha").asText(), pr.path("head").path("sha").asText(),
                        pr.path("user").path("login").asText()));
                reviews++;
            } else {
                assertThat(event).as(action).isInstanceOf(WebhookEvent.Ignored.class);
            }
        }
        assertThat(reviews).isGreaterThanOrEqualTo(5);
    }

    @Test
    void octokitPushExamplesAreScansOnlyWhenTheyMoveTheDefaultBranch() throws Exception {
        for (JsonNode example : octokit("push")) {
            WebhookEvent event = WebhookPayloads.classify(Platform.GITHUB, "push", example, "main");
            String ref = example.path("ref").asText();
            if (ref.equals("refs/heads/" + example.path("repository").path("default_branch").asText()) && !example.path("deleted").asBoolean()) {
                assertThat(event).isEqualTo(new WebhookEvent.Scan("master", example.path("after").asText()));
            } else {
                assertThat(event).as(ref).isInstanceOf(WebhookEvent.Ignored.class);
            }
        }
    }

    @Test
    void octokitPingsAreAcknowledgedAndAnOrganisationsPingNamesNoRepository() throws Exception {
        int withoutRepository = 0;
        for (JsonNode example : octokit("ping")) {
            assertThat(WebhookPayloads.classify(Platform.GITHUB, "ping", example, "main")).isEqualTo(new WebhookEvent.Ignored("ping acknowledged"));
            if (WebhookPayloads.repositoryName(Platform.GITHUB, example) == null) {
                withoutRepository++;
            }
        }
        assertThat(withoutRepository).isEqualTo(1);
    }

    @Test
    void aPullRequestWithoutAHeadCommitIsABadRequest() throws Exception {
        String noHead = pullRequest("opened").replace("'head':{'sha':'" + HEAD + "'}", "'head':{'sha':'main'}");
        assertThatThrownBy(() -> WebhookPayloads.classify(Platform.GITHUB, "pull_request", json(noHead), "main"))
                .isInstanceOf(ApiError.class).hasMessageContaining("pull_request.head.sha");
    }

    @Test
    void onlyPushesThatMoveTheDefaultBranchAreScans() throws Exception {
        String push = "{'ref':'refs/heads/trunk','after':'" + HEAD + "','repository':{'full_name':'acme/docs','default_branch':'trunk'}}";
        assertThat(WebhookPayloads.classify(Platform.GITHUB, "push", json(push), "main"))
                .as("the payload's default branch wins over the registration's").isEqualTo(new WebhookEvent.Scan("trunk", HEAD));
        assertThat(WebhookPayloads.classify(Platform.GITHUB, "push", json(push.replace(HEAD, "0".repeat(40))), "main"))
                .isInstanceOf(WebhookEvent.Ignored.class);
        assertThat(WebhookPayloads.classify(Platform.GITEA, "push", json(push.replace("refs/heads/trunk", "refs/tags/v1")), "main"))
                .isInstanceOf(WebhookEvent.Ignored.class);
    }

    @Test
    void gitlabMergeRequestsAreReviewedWhenOpenedReopenedOrGivenNewCommits() throws Exception {
        String mr = "{'object_kind':'merge_request','user':{'username':'bob'},'project':{'path_with_namespace':'g/s/p'},"
                + "'object_attributes':{'iid':9,"
                + "'action':'ACTION','state':'opened','target_branch':'main','last_commit':{'id':'" + HEAD + "'}OLDREV}}";
        assertThat(WebhookPayloads.classify(Platform.GITLAB, "Merge Request Hook",
                json(mr.replace("ACTION", "open").replace("OLDREV", "")), "main"))
                .isEqualTo(new WebhookEvent.Review(9, "main", null, HEAD, "bob"));
        assertThat(WebhookPayloads.classify(Platform.GITLAB, "Merge Request Hook",
                json(mr.replace("ACTION", "update").replace("OLDREV", ",'oldrev':'" + BASE + "'")), "main"))
                .isInstanceOf(WebhookEvent.Review.class);
        assertThat(WebhookPayloads.classify(Platform.GITLAB, "Merge Request Hook",
                json(mr.replace("ACTION", "update").replace("OLDREV", "")), "main")).isInstanceOf(WebhookEvent.Ignored.class);
        assertThat(WebhookPayloads.classify(Platform.GITLAB, "Merge Request Hook",
                json(mr.replace("ACTION", "approved").replace("OLDREV", "")), "main")).isInstanceOf(WebhookEvent.Ignored.class);
        assertThat(WebhookPayloads.repositoryName(Platform.GITLAB, json(mr.replace("OLDREV", "")))).isEqualTo("g/s/p");
        assertThat(WebhookPayloads.classify(Platform.GITLAB, "Note Hook", json("{'object_kind':'note'}"), "main"))
                .isInstanceOf(WebhookEvent.Ignored.class);
    }

    @Test
    void octokitCommentExamplesOnIssuesAreNotCommandsAndOnAPullRequestTheyAreComments() throws Exception {
        JsonNode examples = octokit("issue_comment");
        assertThat(examples).hasSizeGreaterThan(3);
        for (JsonNode example : examples) {
            // octokit's examples comment on an issue
            assertThat(WebhookPayloads.classify(Platform.GITHUB, "issue_comment", example, "main"))
                    .isInstanceOf(WebhookEvent.Ignored.class);
            com.fasterxml.jackson.databind.node.ObjectNode onPullRequest = example.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) onPullRequest.path("issue")).putObject("pull_request")
                    .put("url", "https://api.github.com/repos/Codertocat/Hello-World/pulls/1");
            WebhookEvent event = WebhookPayloads.classify(Platform.GITHUB, "issue_comment", onPullRequest, "main");
            if (example.path("action").asText().equals("created")) {
                JsonNode comment = example.path("comment");
                assertThat(event).isEqualTo(new WebhookEvent.Comment(example.path("issue").path("number").asInt(),
                        "issue_comment:" + comment.path("id").asText(), new dev.drep.contracts.CommandReply.CommentPlace(
                                "conversation", comment.path("id").asText(), null), comment.path("user").path("login").asText(),
                        comment.path("user").path("id").asLong(), comment.path("body").asText(), true));
            } else {
                assertThat(event).as("an edited or deleted comment gives no command").isInstanceOf(WebhookEvent.Ignored.class);
            }
        }
    }

    @Test
    void octokitReviewCommentExamplesAreAnsweredInTheirThread() throws Exception {
        int created = 0;
        for (JsonNode example : octokit("pull_request_review_comment")) {
            WebhookEvent event = WebhookPayloads.classify(Platform.GITHUB, "pull_request_review_comment", example, "main");
            if (example.path("action").asText().equals("created")) {
                WebhookEvent.Comment comment = (WebhookEvent.Comment) event;
                assertThat(comment.number()).isEqualTo(example.path("pull_request").path("number").asInt());
                assertThat(comment.place().kind()).isEqualTo("review-comment");
                assertThat(comment.commentKey()).isEqualTo("review_comment:" + example.path("comment").path("id").asText());
                assertThat(comment.open()).isTrue();
                created++;
            } else {
                assertThat(event).isInstanceOf(WebhookEvent.Ignored.class);
            }
        }
        assertThat(created).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aGitLabNoteOnAMergeRequestIsACommentAndOnAnIssueOrBySystemItIsNot() throws Exception {
        String note = "{'object_kind':'note','event_type':'note','user':{'id':7,'username':'maria'},"
                + "'project':{'id':42,'path_with_namespace':'g/p'},'object_attributes':{'id':1244,'note':'/drep help',"
                + "'noteable_type':'NOTEABLE','system':SYSTEM,'type':null,'discussion_id':'d1','action':'create'},"
                + "'merge_request':{'iid':3,'state':'opened'}}";
        assertThat(WebhookPayloads.classify(Platform.GITLAB, "Note Hook", json(note.replace("NOTEABLE", "MergeRequest")
                .replace("SYSTEM", "false")), "main")).isEqualTo(new WebhookEvent.Comment(3, "note:1244",
                new dev.drep.contracts.CommandReply.CommentPlace("conversation", "1244", null), "maria", 7L, "/drep help", true));
        assertThat(WebhookPayloads.classify(Platform.GITLAB, "Note Hook", json(note.replace("NOTEABLE", "Issue")
                .replace("SYSTEM", "false")), "main")).isInstanceOf(WebhookEvent.Ignored.class);
        assertThat(WebhookPayloads.classify(Platform.GITLAB, "Note Hook", json(note.replace("NOTEABLE", "MergeRequest")
                .replace("SYSTEM", "true")), "main")).isInstanceOf(WebhookEvent.Ignored.class);
    }
}
