package dev.drep.publisher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * GitHub's answers to a review of a pull request, on {@link PlatformFakes}' server, for the tests that are about what
 * happens around the post (feedback, learnings, acceptance) rather than the post itself. A test stubs what it is
 * about after these: WireMock answers with the stub added last.
 */
public final class GitHubFake {
    private GitHubFake() {
    }

    /**
     * Every pull request of {@code repo} (owner/name): check runs, reviews, no review comments and no issue comments
     * yet, and the summary comment drep creates (id 1001) and updates.
     */
    public static void stubPullRequests(String repo) {
        WireMockServer fake = PlatformFakes.server();
        String api = "/repos/" + repo;
        fake.stubFor(post(urlPathEqualTo(api + "/check-runs")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\": 4001, \"status\": \"in_progress\"}")));
        fake.stubFor(patch(urlPathMatching(api + "/check-runs/\\d+")).willReturn(okJson("{\"id\": 4001}")));
        fake.stubFor(get(urlPathMatching(api + "/commits/[^/]+/check-runs"))
                .willReturn(okJson("{\"total_count\": 0, \"check_runs\": []}")));
        fake.stubFor(post(urlPathMatching(api + "/pulls/\\d+/reviews")).willReturn(okJson("{\"id\": 80, \"state\":"
                + " \"COMMENTED\"}")));
        fake.stubFor(get(urlPathMatching(api + "/pulls/\\d+/comments")).willReturn(okJson("[]")));
        fake.stubFor(get(urlPathMatching(api + "/issues/\\d+/comments")).willReturn(okJson("[]")));
        fake.stubFor(post(urlPathMatching(api + "/issues/\\d+/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 1001, \"body\": \"...\"}")));
        fake.stubFor(patch(urlPathMatching(api + "/issues/comments/\\d+")).willReturn(okJson("{\"id\": 1001,"
                + " \"body\": \"...\"}")));
    }

    /** GraphQL: the pull requests of {@code repo} (owner/name) have no review threads (none to resolve). */
    public static void stubNoReviewThreads(String repo) {
        PlatformFakes.server().stubFor(post(urlPathEqualTo("/graphql")).withRequestBody(containing("reviewThreads"))
                .withRequestBody(matchingJsonPath("$.variables.name", equalTo(repo.substring(repo.indexOf('/') + 1))))
                .willReturn(okJson("{\"data\": {\"repository\": {\"pullRequest\": {\"reviewThreads\": {"
                        + "\"pageInfo\": {\"hasNextPage\": false, \"endCursor\": null}, \"nodes\": []}}}}}")));
    }
}
