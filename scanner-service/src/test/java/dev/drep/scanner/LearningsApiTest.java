package dev.drep.scanner;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.noContent;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET/DELETE /api/repositories/{id}/learnings} (issue 17, item 4): the scanner names the registered repository
 * to the review-publisher, which keeps the learnings (the stub here), and exports the suppressions as
 * {@code .drep.yaml} lines. Anonymous and wrong-scope callers are refused by OpenApiDocumentTest, as for every endpoint.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class LearningsApiTest {
    private static final String LEARNED = "{\"learnings\": [{\"id\": \"6f1c2a3e-0000-4000-8000-000000000001\","
            + " \"rule\": \"md.trailing-whitespace\", \"fingerprint\": \"ab12cd34\", \"kind\": \"justified\","
            + " \"pullRequest\": 3, \"author\": \"octocat\", \"reason\": \"intentional\","
            + " \"recordedAt\": \"2026-12-06T15:00:00Z\"}], \"rules\": [{\"rule\": \"md.trailing-whitespace\","
            + " \"rejected\": 3, \"suppressed\": true}, {\"rule\": \"md.line-length\", \"rejected\": 1,"
            + " \"suppressed\": false}], \"suppressAfter\": 3}";

    @Test
    void theLearningsOfARegisteredRepositoryAreReadFromThePublisherAndExportedAsDrepYaml() throws Exception {
        String name = Platforms.uniqueName("acme/learned");
        String id = Platforms.register("github", name, TestOrigin.create().url(), server().baseUrl());
        server().stubFor(get(urlPathEqualTo("/internal/learnings")).withQueryParam("repository", equalTo(name))
                .withQueryParam("platform", equalTo("github")).willReturn(okJson(LEARNED)));

        TestTokens.asAdmin().get("/api/repositories/" + id + "/learnings").then().statusCode(200)
                .body("learnings[0].rule", org.hamcrest.Matchers.is("md.trailing-whitespace"))
                .body("rules[0].suppressed", org.hamcrest.Matchers.is(true));
        String yaml = TestTokens.asAdmin().get("/api/repositories/" + id + "/learnings?format=drep-yaml").then()
                .statusCode(200).contentType(containsString("yaml")).extract().asString();
        assertThat(yaml).endsWith("suppress-rules:\n  - \"md.trailing-whitespace\"  # justified 3 times\n")
                .doesNotContain("md.line-length");
        TestTokens.asAdmin().get("/api/repositories/" + id + "/learnings?format=xml").then().statusCode(400)
                .body("message", containsString("drep-yaml"));
    }

    @Test
    void aLearningIsForgottenAtThePublisherAndAnUnknownOneIsA404() throws Exception {
        String name = Platforms.uniqueName("acme/forget");
        String id = Platforms.register("github", name, TestOrigin.create().url(), server().baseUrl());
        server().stubFor(delete(urlPathEqualTo("/internal/learnings/6f1c2a3e-0000-4000-8000-000000000001"))
                .withQueryParam("repository", equalTo(name)).willReturn(noContent()));
        server().stubFor(delete(urlPathEqualTo("/internal/learnings/6f1c2a3e-0000-4000-8000-000000000002"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": \"not_found\", \"message\": \"no\"}")));

        TestTokens.asAdmin().delete("/api/repositories/" + id + "/learnings/6f1c2a3e-0000-4000-8000-000000000001")
                .then().statusCode(204);
        TestTokens.asAdmin().delete("/api/repositories/" + id + "/learnings/6f1c2a3e-0000-4000-8000-000000000002")
                .then().statusCode(404).body("message", containsString("no learning with id"));
        TestTokens.asAdmin().delete("/api/repositories/" + UUID.randomUUID() + "/learnings/x").then().statusCode(404);
        assertThat(server().findAll(deleteRequestedFor(urlPathEqualTo(
                "/internal/learnings/6f1c2a3e-0000-4000-8000-000000000001")))).hasSize(1);
    }

    private static WireMockServer server() {
        return PublisherStubResource.server;
    }
}
