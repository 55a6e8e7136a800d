package dev.drep.scanner;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.drep.scanner.Platforms.awaitFiles;
import static dev.drep.scanner.Platforms.awaitPlanned;
import static dev.drep.scanner.Platforms.plan;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.drep.contracts.JobPlan;
import dev.drep.contracts.PullRequestRef;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** The repository registry, reviews of platform pull requests by number, the job list and the API document. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class RepositoryApiTest {

    @Test
    void repositoriesAreRegisteredListedReadAndDeleted() {
        String name = Platforms.uniqueName("Acme/Docs");
        var created = asAdmin().contentType(ContentType.JSON).body(Map.of("platform", "github", "fullName", name,
                        "cloneUrl", "https://github.com/" + name + ".git", "webhookSecretRef", "test-webhook-secret",
                        "tokenRef", "test-token"))
                .post("/api/repositories").then().statusCode(201).extract();
        String id = created.path("id");
        assertThat(created.header("Location")).endsWith("/api/repositories/" + id);
        asAdmin().get("/api/repositories/" + id).then().statusCode(200)
                .body("platform", Matchers.equalTo("github")).body("fullName", Matchers.equalTo(name))
                .body("apiUrl", Matchers.equalTo("https://api.github.com")).body("defaultBranch", Matchers.equalTo("main"))
                .body("webhookSecretRef", Matchers.equalTo("test-webhook-secret")).body("webhookSecretConfigured", Matchers.equalTo(true))
                .body("tokenRef", Matchers.equalTo("test-token")).body("tokenConfigured", Matchers.equalTo(true))
                .body("lastScannedCommit", nullValue())
                .body(not(containsString(Platforms.SECRET))).body(not(containsString(Platforms.TOKEN)));
        asAdmin().get("/api/repositories").then().statusCode(200).body("id", hasItem(id));

        // names are case-insensitive on the platforms, so a second registration in other case conflicts
        asAdmin().contentType(ContentType.JSON).body(Map.of("platform", "github", "fullName", name.toLowerCase(),
                        "cloneUrl", "https://github.com/x/y.git"))
                .post("/api/repositories").then().statusCode(409).body("error", Matchers.equalTo("conflict"))
                .body("message", containsString(id));

        asAdmin().delete("/api/repositories/" + id).then().statusCode(204);
        asAdmin().get("/api/repositories/" + id).then().statusCode(404).body("error", Matchers.equalTo("not_found"));
        asAdmin().delete("/api/repositories/" + id).then().statusCode(404);
        asAdmin().get("/api/repositories/not-a-uuid").then().statusCode(404);
    }

    @Test
    void registrationsAreValidatedFieldByFieldAndNeverEchoCredentials() {
        Map<String, Object> valid = Map.of("platform", "gitlab", "fullName", "group/sub/name",
                "cloneUrl", "https://gitlab.example/group/sub/name.git", "apiUrl", "https://gitlab.example/api/v4");
        assertRefused(with(valid, "platform", "bitbucket"), "'platform' must be one of gitea, github, gitlab");
        assertRefused(with(valid, "fullName", null), "'fullName' is required");
        assertRefused(with(with(valid, "platform", "github"), "fullName", "a/b/c"), "owner/name");
        assertRefused(with(valid, "fullName", "group/na me"), "invalid part 'na me'");
        assertRefused(with(valid, "cloneUrl", "git@gitlab.example:group/name.git"), "'cloneUrl'");
        String leaked = "https://oauth2:glpat-SECRET123@gitlab.example/group/sub/name.git";
        asAdmin().contentType(ContentType.JSON).body(with(valid, "cloneUrl", leaked)).post("/api/repositories")
                .then().statusCode(400).body("message", containsString("must not contain a user name or token"))
                .body(not(containsString("glpat-SECRET123")));
        assertRefused(with(with(valid, "apiUrl", null), "cloneUrl", "file:///srv/git/name.git"), "'apiUrl' is required", "/api/v4");
        assertRefused(with(valid, "projectId", "abc"), "numeric project id");
        assertRefused(with(valid, "defaultBranch", "bad..branch"), "'defaultBranch'");
        asAdmin().contentType(ContentType.JSON).body(with(valid, "tokenRef", "ghp_AbCdEf0123456789")).post("/api/repositories")
                .then().statusCode(400).body("message", containsString("name of a configured secret"))
                .body(not(containsString("ghp_AbCdEf0123456789")));
        asAdmin().contentType(ContentType.JSON).body("{\"platform\": ").post("/api/repositories").then().statusCode(400);
        // without an apiUrl, the API root is derived from the clone URL's host
        asAdmin().contentType(ContentType.JSON).body(with(with(valid, "apiUrl", null), "fullName", Platforms.uniqueName("group/derived")))
                .post("/api/repositories").then().statusCode(201).body("apiUrl", Matchers.equalTo("https://gitlab.example/api/v4"));
    }

    @Test
    void aPlatformPullRequestIsReviewedByNumberThroughThePlatformApi() throws Exception {
        TestOrigin origin = TestOrigin.create();
        String base = origin.work.write("README.md", "# Docs\n").commit("base");
        origin.push("refs/heads/main", "refs/heads/main");
        String head = origin.work.branch("feature").write("guide.md", "# Guide\n").commit("guide");
        origin.push("refs/heads/feature", "refs/pull/9/head");
        String name = Platforms.uniqueName("acme/api");
        String apiPath = "/github-" + name.substring(name.indexOf('-') + 1);
        String apiUrl = PublisherStubResource.server.baseUrl() + apiPath;
        String repositoryId = Platforms.register("github", name, origin.url(), apiUrl);
        String pullPath = apiPath + "/repos/" + name + "/pulls/9";
        PublisherStubResource.server.stubFor(get(urlEqualTo(pullPath)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(Platforms.json(Map.of("number", 9, "state", "open", "merged", false,
                        "base", Map.of("ref", "main", "sha", base), "head", Map.of("ref", "feature", "sha", head))))));
        PublisherStubResource.server.stubFor(get(urlEqualTo(apiPath + "/repos/" + name + "/pulls/10")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(Platforms.json(Map.of("number", 10, "state", "closed", "base", Map.of("ref", "main", "sha", base),
                        "head", Map.of("sha", head))))));
        PublisherStubResource.server.stubFor(get(urlEqualTo(apiPath + "/repos/" + name + "/pulls/404"))
                .willReturn(aResponse().withStatus(404).withBody("{\"message\":\"Not Found\"}")));

        String jobId = asAdmin().contentType(ContentType.JSON).body(Map.of("platform", "github", "repository", name, "number", 9))
                .post("/api/reviews").then().statusCode(202).body("status", Matchers.equalTo("QUEUED"))
                .body("head", Matchers.equalTo(head)).body("repository", Matchers.equalTo(name)).extract().path("id");
        PublisherStubResource.server.verify(getRequestedFor(urlEqualTo(pullPath))
                .withHeader("Authorization", equalTo("Bearer " + Platforms.TOKEN)));
        assertThat(awaitPlanned(jobId)).isEqualTo("ANALYZING");
        JobPlan plan = plan(jobId);
        assertThat(awaitFiles(jobId, plan)).containsOnlyKeys("guide.md");
        assertThat(plan.target().pullRequest()).isEqualTo(new PullRequestRef("github", apiUrl, name, null, 9, base, base, head,
                "test-token"));

        asAdmin().contentType(ContentType.JSON).body(Map.of("repositoryId", repositoryId, "number", 9))
                .post("/api/reviews").then().statusCode(202);
        asAdmin().contentType(ContentType.JSON).body(Map.of("repositoryId", repositoryId, "number", 404))
                .post("/api/reviews").then().statusCode(404).body("message", containsString("no pull request #404 of " + name));
        asAdmin().contentType(ContentType.JSON).body(Map.of("repositoryId", repositoryId, "number", 10))
                .post("/api/reviews").then().statusCode(409).body("message", containsString("is closed"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("platform", "github", "repository", "nobody/none", "number", 1))
                .post("/api/reviews").then().statusCode(404).body("message", containsString("'nobody/none' is registered"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("platform", "github", "repository", name))
                .post("/api/reviews").then().statusCode(400).body("message", containsString("'number' is required"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("repositoryId", repositoryId, "number", 9, "head", "HEAD"))
                .post("/api/reviews").then().statusCode(400).body("message", containsString("'base' and 'head' do not apply"));

        // the job list: newest first, filtered by repository and status
        List<String> ids = asAdmin().queryParam("repository", repositoryId).get("/api/jobs").then().statusCode(200)
                .extract().jsonPath().getList("id", String.class);
        assertThat(ids).hasSize(2).endsWith(jobId);
        assertThat(asAdmin().queryParam("repository", name).queryParam("status", "analyzing").queryParam("limit", 1)
                .get("/api/jobs").then().statusCode(200).extract().jsonPath().getList("id", String.class)).hasSize(1);
        asAdmin().queryParam("status", "WAITING").get("/api/jobs").then().statusCode(400).body("message", containsString("QUEUED"));
        asAdmin().queryParam("limit", 0).get("/api/jobs").then().statusCode(400);
    }

    @Test
    void aGitlabMergeRequestIsLookedUpByIidWithItsDiffRefs() throws Exception {
        TestOrigin origin = TestOrigin.create();
        String base = origin.work.write("README.md", "# Docs\n").commit("base");
        origin.push("refs/heads/main", "refs/heads/main");
        String head = origin.work.branch("feature").write("guide.md", "# Guide\n").commit("guide");
        origin.push("refs/heads/feature", "refs/merge-requests/4/head");
        String name = Platforms.uniqueName("group/sub/lookup");
        String host = PublisherStubResource.server.baseUrl() + "/gitlab-" + name.substring(name.lastIndexOf('-') + 1);
        Platforms.register("gitlab", name, origin.url(), host);
        String path = "/gitlab-" + name.substring(name.lastIndexOf('-') + 1) + "/api/v4/projects/"
                + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8) + "/merge_requests/4";
        PublisherStubResource.server.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(Platforms.json(Map.of("iid", 4, "state", "opened", "target_branch", "main", "sha", head,
                        "diff_refs", Map.of("base_sha", base, "start_sha", base, "head_sha", head))))));

        String jobId = asAdmin().contentType(ContentType.JSON).body(Map.of("platform", "gitlab", "repository", name, "number", 4))
                .post("/api/reviews").then().statusCode(202).extract().path("id");
        PublisherStubResource.server.verify(getRequestedFor(urlEqualTo(path)).withHeader("PRIVATE-TOKEN", equalTo(Platforms.TOKEN)));
        assertThat(awaitPlanned(jobId)).isEqualTo("ANALYZING");
        assertThat(plan(jobId).target().pullRequest()).isEqualTo(new PullRequestRef("gitlab", host, name, null, 4, base, base,
                head, "test-token"));
    }

    @Test
    void theApiIsDescribedByOpenApiWithSwaggerUi() {
        asAdmin().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", Matchers.hasKey("/api/webhooks/{platform}"))
                .body("paths", Matchers.hasKey("/api/repositories"))
                .body("paths", Matchers.hasKey("/api/scans"))
                .body("paths", Matchers.hasKey("/api/jobs"));
        asAdmin().get("/q/swagger-ui/").then().statusCode(200);
    }

    private static void assertRefused(Map<String, Object> body, String... fragments) {
        var response = asAdmin().contentType(ContentType.JSON).body(body).post("/api/repositories").then().statusCode(400)
                .body("error", Matchers.equalTo("invalid_request"));
        for (String fragment : fragments) {
            response.body("message", containsString(fragment));
        }
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.put(key, value);
        return copy;
    }
}
