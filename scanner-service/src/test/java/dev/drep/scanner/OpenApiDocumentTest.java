package dev.drep.scanner;

import static dev.drep.testsupport.identity.TestTokens.anonymous;
import static dev.drep.testsupport.identity.TestTokens.as;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.identity.Scopes;
import dev.drep.scanner.job.JobResource;
import dev.drep.testsupport.identity.EndpointAccess;
import dev.drep.testsupport.identity.EndpointAccess.Operation;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.openapi.RedoclyLint;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scanner's OpenAPI document describes every endpoint with its scopes and errors, passes {@code redocly lint}, and
 * every endpoint it lists refuses anonymous callers (401) and callers without its scope (403) and admits its scope.
 * The dashboard's pages are hidden from the document and checked here by name; the webhooks are the only public
 * operations.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class OpenApiDocumentTest {
    /** Pages for browsers, hidden from the document (@Operation(hidden = true)). */
    private static final Set<String> DASHBOARD = Set.of("GET /dashboard", "GET /dashboard/jobs/{id}");
    private static final Set<String> SIGN_IN = Set.of("GET /dashboard/sign-in", "POST /dashboard/sign-in",
            "POST /dashboard/sign-out", "GET /dashboard/signed-out");
    /** The webhook URL of drep 0.x answers 410 Gone and is not advertised. */
    private static final Set<String> GONE = Set.of("POST /api/webhooks/{platform}");
    private static final Set<String> PUBLIC = Set.of("POST /api/webhooks/{platform}/{repositoryId}");
    private final Map<Set<String>, String> tokens = new HashMap<>();
    private final List<String> created = new ArrayList<>();

    @AfterEach
    void revokeTheTestsTokens() {
        created.forEach(id -> asAdmin().when().delete("/api/tokens/{id}", id).then().statusCode(200));
    }

    @Test
    void theDocumentPassesRedoclyLintsRecommendedRules() throws Exception {
        assertThat(RedoclyLint.lintServiceDocument()).isEmpty();
    }

    @Test
    void theDocumentListsEveryResourceMethodExceptTheDashboardPagesWithAnOperationIdAndItsErrors() {
        JsonNode document = EndpointAccess.document();
        List<Operation> operations = EndpointAccess.operations(document);
        Set<String> documented = operations.stream().map(Operation::key).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(EndpointAccess.resourceMethods(JobResource.class));
        expected.removeAll(DASHBOARD);
        expected.removeAll(SIGN_IN);
        expected.removeAll(GONE);

        assertThat(documented).isEqualTo(expected);
        assertThat(operations).allSatisfy(operation -> assertThat(operation.operationId()).isNotBlank());
        assertThat(operations.stream().map(Operation::operationId)).doesNotHaveDuplicates();
        assertThat(operations.stream().filter(o -> !o.secured()).map(Operation::key)).containsExactlyElementsOf(PUBLIC);
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/components/securitySchemes/bearer/bearerFormat").asText()).contains("opaque");
        JsonNode jobFindings = document.at("/paths/~1api~1jobs~1{id}~1findings/get");
        assertThat(jobFindings.at("/security/0/bearer/0").asText()).isEqualTo(Scopes.JOBS_READ);
        assertThat(jobFindings.at("/responses").fieldNames()).toIterable().contains("200", "401", "403", "404", "409");
        assertThat(jobFindings.at("/responses/409/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/ErrorBody");
        assertThat(document.at("/paths/~1api~1repositories~1{repository}~1reservations~1{id}~1force-release/post/security/0/bearer/0")
                .asText()).isEqualTo(Scopes.RESERVATIONS_ADMIN);
        assertThat(document.at("/paths/~1api~1webhooks~1{platform}~1{repositoryId}/post/responses").fieldNames()).toIterable()
                .contains("202", "400", "401", "403", "404", "413");
    }

    @Test
    void everyDocumentedEndpointRefusesAnonymousCallersAndTokensWithoutItsScopeAndAdmitsItsScope() {
        List<Operation> secured = EndpointAccess.operations(EndpointAccess.document()).stream()
                .filter(o -> !PUBLIC.contains(o.key())).toList();

        List<String> failures = EndpointAccess.check(secured, o -> token(without(o.scopes())), o -> token(Set.of(o.scopes().get(0))));

        assertThat(failures).isEmpty();
    }

    @Test
    void aRefusedTokenIsNeverEchoed() {
        List<Operation> secured = EndpointAccess.operations(EndpointAccess.document()).stream()
                .filter(o -> !PUBLIC.contains(o.key())).toList();

        assertThat(EndpointAccess.checkRefusedTokensAreNotEchoed(secured)).isEmpty();
    }

    @Test
    void theDashboardPagesRefuseApiClientsWithoutATokenSendBrowsersToSignInAndNeedJobsRead() {
        List<String> failures = new ArrayList<>();
        for (String page : DASHBOARD) {
            String path = page.substring("GET ".length()).replace("{id}", EndpointAccess.DUMMY);
            int api = anonymous().redirects().follow(false).get(path).statusCode(); // Accept: */*
            int browser = anonymous().redirects().follow(false).accept("text/html").get(path).statusCode();
            int wrongScope = as(token(without(List.of(Scopes.JOBS_READ)))).redirects().follow(false).accept("text/html")
                    .get(path).statusCode();
            int rightScope = as(token(Set.of(Scopes.JOBS_READ))).redirects().follow(false).accept("text/html")
                    .get(path).statusCode();
            if (api != 401 || browser != 303 || wrongScope != 403 || rightScope == 401 || rightScope == 403) {
                failures.add(page + ": API client " + api + ", browser " + browser + ", without jobs:read " + wrongScope
                        + ", with jobs:read " + rightScope);
            }
        }
        assertThat(failures).isEmpty();
        // the sign-in form itself is open: it is where a browser without a token is sent
        anonymous().accept("text/html").get("/dashboard/sign-in").then().statusCode(200);
    }

    @Test
    void theDocumentAndSwaggerUiAreServedToCallersWithATokenOnly() {
        anonymous().redirects().follow(false).get("/q/openapi").then().statusCode(401);
        anonymous().redirects().follow(false).get("/q/swagger-ui/").then().statusCode(401);
        asAdmin().redirects().follow(false).get("/q/swagger-ui/").then().statusCode(200);
    }

    /** @return every scope but {@code scopes} and admin */
    private static Set<String> without(List<String> scopes) {
        Set<String> others = new TreeSet<>(Scopes.ALL);
        others.removeAll(scopes);
        others.remove(Scopes.ADMIN);
        return others;
    }

    /** @return an API token with exactly {@code scopes}, created once per set as the admin would */
    private String token(Set<String> scopes) {
        return tokens.computeIfAbsent(Set.copyOf(scopes), s -> {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("name", "access-test-" + UUID.randomUUID().toString().substring(0, 8));
            request.put("scopes", List.copyOf(s));
            JsonPath answer = asAdmin().contentType(ContentType.JSON).body(request).when().post("/api/tokens")
                    .then().statusCode(201).extract().jsonPath();
            created.add(answer.getString("details.id"));
            return answer.getString("token");
        });
    }
}
