package dev.drep.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.launcher.stack.ServiceKind;
import dev.drep.testsupport.git.TestRepository;
import dev.drep.testsupport.llm.FakeLlmServer;
import dev.drep.testsupport.llm.RecordedRequest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, {@code /drep ask}, through the four real services of a {@code drep up} stack, a fake Gitea (WireMock,
 * the documented API v1) and a fake LLM provider: a question delivered twice is one model call through the gateway,
 * accounted to the repository in the gateway's ledger, and one answer in the pull request's conversation, with the
 * model's mention made harmless.
 */
class AskCommandEndToEndTest extends GiteaStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPOSITORY = "acme/questions";
    private static final int PULL_REQUEST = 6;
    private static final String COMMENTS = "/api/v1/repos/" + REPOSITORY + "/issues/" + PULL_REQUEST + "/comments";
    private static final String API_KEY = "sk-ask-e2e";

    private static WireMockServer gitea;
    private static FakeLlmServer llm;

    @BeforeAll
    static void startGiteaLlmStackAndRepository() throws Exception {
        Path origin = work.resolve("origin");
        GuideChange change;
        try (TestRepository repo = TestRepository.init(origin)) {
            change = GuideChange.commit(repo, "A line about retries.");
        }

        llm = FakeLlmServer.start().expectApiKey(API_KEY)
                .answer("It is not configurable yet, @reviewer: the guide only mentions retries.");
        stack = GiteaStack.of(REPOSITORY).withLlm(llm).withVariable("DREP_LLM_API_KEY", API_KEY).up(work);
        gitea = stack.gitea().server();
        stack.gitea().grant("maintainer", "write");
        stack.gitea().openPullRequest(origin, PULL_REQUEST, change.base(), change.head(), "feature");
        gitea.stubFor(get(urlPathEqualTo(COMMENTS)).willReturn(okJson(JSON.writeValueAsString(List.of(Map.of("id", 7,
                "body", "Is the retry count configurable?", "user", Map.of("login", "reviewer")))))));
        gitea.stubFor(post(urlPathEqualTo(COMMENTS)).willReturn(okJson("{\"id\":2,\"body\":\"\"}").withStatus(201)));
        stack.register(origin);
    }

    @Test
    void aQuestionDeliveredTwiceIsOneModelCallAccountedToTheRepositoryAndOneAnswer() throws Exception {
        String comment = stack.gitea().commentPayload(PULL_REQUEST, 301, "maintainer",
                "/drep ask can the number of retries be changed?");

        HttpResponse<String> first = stack.deliverComment(comment);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(stack.deliverComment(comment).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).until(() -> answers().size() == 1);
        String answer = JSON.readTree(answers().get(0).getBodyAsString()).path("body").asText();
        assertThat(answer).startsWith("@maintainer,\n\nIt is not configurable yet, `@reviewer`: the guide only mentions "
                + "retries.").contains("written by a model").contains("<!-- drep:reply:");
        assertThat(llm.chatRequests()).hasSize(1);
        RecordedRequest call = llm.chatRequests().get(0);
        assertThat(call.body()).contains("can the number of retries be changed?", "+A line about retries.",
                "reviewer wrote:\\nIs the retry count configurable?");
        JsonNode usage = stack.call(ServiceKind.LLM_GATEWAY, "GET", "/api/usage?repository="
                + URLEncoder.encode(REPOSITORY, StandardCharsets.UTF_8), null, 200);
        assertThat(usage.path("totals").path("requests").asLong()).as("the question, in the ledger of %s", REPOSITORY)
                .isEqualTo(1);
        Thread.sleep(1000); // a second answer would have been posted by now
        assertThat(answers()).hasSize(1);
    }

    private static List<LoggedRequest> answers() {
        return gitea.findAll(postRequestedFor(urlPathEqualTo(COMMENTS)).withRequestBody(containing("@maintainer")));
    }
}
