package dev.drep.scanner;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/repositories/{id}/acceptance} and {@code GET /api/acceptance} (issue 17, item 4): the scanner names the
 * registered repository (or none) to the review-publisher, which counts the acceptance per rule and model (the stub
 * here). A token restricted to a repository reads its own repository's table only, and not every repository's.
 * Anonymous and wrong-scope callers are refused by OpenApiDocumentTest, as for every endpoint.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class AcceptanceApiTest {
    private static final String ROWS = "{\"rows\": [{\"rule\": \"llm.bug\", \"model\": \"large\", \"posted\": 4,"
            + " \"accepted\": 3, \"rejected\": 1, \"rate\": 0.75}, {\"rule\": \"md.tab\", \"model\": \"none\","
            + " \"posted\": 2, \"accepted\": 0, \"rejected\": 0, \"rate\": null}]}";

    private final List<String> tokens = new ArrayList<>();

    @AfterEach
    void revokeTokens() {
        tokens.forEach(id -> asAdmin().when().delete("/api/tokens/{id}", id).then().statusCode(200));
    }

    @Test
    void aRegisteredRepositorysAcceptanceIsReadFromThePublisherByItsName() throws Exception {
        String name = Platforms.uniqueName("acme/rated");
        String id = Platforms.register("github", name, TestOrigin.create().url(), server().baseUrl());
        server().stubFor(get(urlPathEqualTo("/internal/acceptance")).withQueryParam("repository", equalTo(name))
                .withQueryParam("platform", equalTo("github")).withQueryParam("apiUrl", equalTo(server().baseUrl()))
                .willReturn(okJson(ROWS)));

        TestTokens.asAdmin().get("/api/repositories/" + id + "/acceptance").then().statusCode(200)
                .body("rows[0].rule", is("llm.bug")).body("rows[0].model", is("large"))
                .body("rows[0].rate", is(0.75f)).body("rows[1].rate", nullValue());
        TestTokens.as(token(name, "jobs:read")).get("/api/repositories/" + id + "/acceptance").then().statusCode(200);
        TestTokens.as(token("acme/elsewhere", "jobs:read")).get("/api/repositories/" + id + "/acceptance").then()
                .statusCode(403).body("message", containsString("restricted to repository 'acme/elsewhere'"));
        TestTokens.asAdmin().get("/api/repositories/" + UUID.randomUUID() + "/acceptance").then().statusCode(404);
    }

    @Test
    void everyRepositorysAcceptanceNeedsAnUnrestrictedToken() {
        server().stubFor(get(urlPathEqualTo("/internal/acceptance")).withQueryParam("repository", absent())
                .willReturn(okJson(ROWS)));

        TestTokens.as(token(null, "jobs:read")).get("/api/acceptance").then().statusCode(200)
                .body("rows.rule", org.hamcrest.Matchers.contains("llm.bug", "md.tab"));
        TestTokens.as(token("acme/docs", "jobs:read")).get("/api/acceptance").then().statusCode(403)
                .body("message", containsString("not restricted to one repository"));
    }

    @Test
    void aPublisherThatCannotBeAskedIsA503() throws Exception {
        String name = Platforms.uniqueName("acme/unrated");
        String id = Platforms.register("github", name, TestOrigin.create().url(), server().baseUrl());
        server().stubFor(get(urlPathEqualTo("/internal/acceptance")).withQueryParam("repository", equalTo(name))
                .willReturn(aResponse().withStatus(500)));

        TestTokens.asAdmin().get("/api/repositories/" + id + "/acceptance").then().statusCode(503)
                .body("message", containsString("review-publisher"));
    }

    /** @return a new token with {@code scope}, restricted to {@code repository} unless it is null */
    private String token(String repository, String scope) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", "acceptance-test-" + UUID.randomUUID().toString().substring(0, 8));
        request.put("scopes", List.of(scope));
        if (repository != null) {
            request.put("repository", repository);
        }
        var answer = asAdmin().contentType(ContentType.JSON).body(request).when().post("/api/tokens").then()
                .statusCode(201).extract().jsonPath();
        tokens.add(answer.getString("details.id"));
        return answer.getString("token");
    }

    private static WireMockServer server() {
        return PublisherStubResource.server;
    }
}
