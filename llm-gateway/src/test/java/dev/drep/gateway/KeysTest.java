package dev.drep.gateway;

import static dev.drep.testsupport.identity.TestTokens.as;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.drep.testsupport.http.TestHttpClient;
import dev.drep.testsupport.identity.FakeTokenIntrospection;
import dev.drep.testsupport.identity.FakeTokenIntrospectionResource;
import dev.drep.testsupport.identity.InjectTokenIntrospection;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Keys with budgets: {@code POST/GET/DELETE /api/keys} issue an API token at the scanner (here the fake that speaks
 * its token API and introspection) on the admin's behalf and keep the key's policy; every request made with a key is
 * held to its allowed aliases, its budgets (reserved before admission, settled after, streams included) and its
 * request and token windows; the ledger and {@code GET /api/usage} know the key.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
@WithTestResource(value = FakeTokenIntrospectionResource.class, initArgs =
        @ResourceArg(name = FakeTokenIntrospectionResource.ARG_SERVICE_TOKEN, value = TestTokens.GATEWAY_SERVICE))
@TestProfile(ApiTokenTest.OwnBoot.class)
class KeysTest extends GatewayTestBase {

    @InjectTokenIntrospection
    FakeTokenIntrospection scanner;

    @TestHTTPResource("/v1/chat/completions")
    URI endpoint;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonPath create(String body) {
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/keys").then().statusCode(201)
                .extract().jsonPath();
    }

    private static Response call(String key, String body) {
        return as(key).contentType(ContentType.JSON).header("X-Drep-Cache", "bypass").body(body)
                .post("/v1/chat/completions");
    }

    @Test
    void anAdminCreatesAKeyTheScannerIssuesItsTokenAndTheKeyCallsTheModelsItMayUse() {
        String name = unique("team-a");
        String repository = "acme/" + unique("app");

        JsonPath created = create("{\"name\":\"" + name + "\",\"repository\":\"" + repository + "\","
                + "\"models\":[\"fast\"],\"tokensPerDay\":100000,\"costPerMonth\":5,\"requestsPerMinute\":100}");

        String key = created.getString("key");
        String id = created.getString("details.id");
        assertThat(key).startsWith("drep_");
        // issued by the scanner with the admin's own token, as an llm:use token restricted to the repository
        assertThat(scanner.tokenApiCalls()).contains("POST /api/tokens by admin");
        assertThat(scanner.grant(key).get("id").asText()).isEqualTo(id);
        assertThat(scanner.grant(key).get("scopes").toString()).isEqualTo("[\"llm:use\"]");
        assertThat(scanner.grant(key).get("repository").asText()).isEqualTo(repository);
        assertThat(created.getList("details.models")).containsExactly("fast");

        as(key).get("/v1/models").then().statusCode(200).body("data.id", equalTo(List.of("fast")));
        call(key, request("fast", "Hello")).then().statusCode(200);

        JsonPath usage = awaitUsage("key=" + id, u -> u.getLong("totals.requests") == 1);
        assertThat(usage.getString("records[0].keyId")).isEqualTo(id);
        assertThat(usage.getString("records[0].repository")).isEqualTo(repository);
        JsonPath listed = asAdmin().get("/api/keys").then().statusCode(200).body(not(containsString(key)))
                .extract().jsonPath();
        int at = listed.getList("id").indexOf(id);
        assertThat(at).isNotNegative();
        assertThat(listed.getString("[" + at + "].name")).isEqualTo(name);
        assertThat(listed.getLong("[" + at + "].tokensPerDay")).isEqualTo(100000L);
        assertThat(listed.getLong("[" + at + "].spent.today.tokens")).isPositive();
    }

    @Test
    void aKeyAskingForAnAliasItMayNotUseIsRefused403NamingTheAliasAndTheAllowedOnes() {
        String key = create("{\"name\":\"" + unique("fast-only") + "\",\"models\":[\"fast\",\"capped\"]}")
                .getString("key");

        call(key, request("primary", "Hello")).then().statusCode(403)
                .body("error.code", equalTo("model_not_allowed"))
                .body("error.message", containsString("'primary'"))
                .body("error.message", containsString("fast, capped"));
        assertThat(llm.chatRequests()).isEmpty();
    }

    @Test
    void aPolicyNamingAnUnknownAliasIsRefused400BeforeAnyTokenIsIssued() {
        String name = unique("typo");

        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"models\":[\"fats\"]}")
                .post("/api/keys").then().statusCode(400)
                .body("error.param", equalTo("models"))
                .body("error.message", containsString("'fats'"))
                .body("error.message", containsString("known aliases: "))
                .body("error.message", containsString("fast"));
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"models\":[]}")
                .post("/api/keys").then().statusCode(400).body("error.param", equalTo("models"));
        assertThat(scanner.tokenApiCalls()).noneMatch(call -> call.startsWith("POST") && call.contains(name));
    }

    @Test
    void aZeroOrNegativeBudgetOrLimitIsRefused400NamingTheField() {
        int before = scanner.tokenApiCalls().size();
        for (String field : List.of("\"tokensPerDay\":0", "\"tokensPerMonth\":-5", "\"costPerDay\":0",
                "\"costPerMonth\":-0.01", "\"requestsPerMinute\":0", "\"tokensPerMinute\":-1")) {
            String name = field.substring(1, field.indexOf('"', 1));
            asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + unique("bad") + "\"," + field + "}")
                    .post("/api/keys").then().statusCode(400)
                    .body("error.param", equalTo(name))
                    .body("error.message", containsString("'" + name + "' must be positive"));
        }
        assertThat(scanner.tokenApiCalls()).hasSize(before);
    }

    @Test
    void anAdminRestrictedToARepositoryCannotCreateAKeyForAnotherOrForEveryRepository() {
        String mine = "acme/" + unique("mine");
        String admin = scanner.issue(unique("repo-admin"), List.of("admin"), mine, null);

        as(admin).contentType(ContentType.JSON).body("{\"name\":\"x\",\"repository\":\"acme/other\"}")
                .post("/api/keys").then().statusCode(403)
                .body("error.message", containsString("restricted to repository '" + mine + "'"))
                .body("error.message", containsString("acme/other"));
        as(admin).contentType(ContentType.JSON).body("{\"name\":\"x\"}").post("/api/keys").then().statusCode(403)
                .body("error.message", containsString("restricted to repository '" + mine + "'"));
        // its own repository is fine, and it lists that repository's keys only
        String id = as(admin).contentType(ContentType.JSON).body("{\"name\":\"mine\",\"repository\":\"" + mine + "\"}")
                .post("/api/keys").then().statusCode(201).extract().path("details.id");
        create("{\"name\":\"" + unique("elsewhere") + "\",\"repository\":\"acme/elsewhere\"}");
        as(admin).get("/api/keys").then().statusCode(200).body("id", equalTo(List.of(id)));
    }

    @Test
    void onlyAdminsManageKeys() {
        io.restassured.RestAssured.given().contentType(ContentType.JSON).body("{\"name\":\"x\"}").post("/api/keys")
                .then().statusCode(401);
        io.restassured.RestAssured.given().get("/api/keys").then().statusCode(401);
        as(TestTokens.LLM_USER).contentType(ContentType.JSON).body("{\"name\":\"x\"}").post("/api/keys").then()
                .statusCode(403).body("error.message", containsString("'admin'"));
        as(TestTokens.LLM_USER).get("/api/keys").then().statusCode(403);
        as(TestTokens.USAGE_READER).delete("/api/keys/" + UUID.randomUUID()).then().statusCode(403);
    }

    @Test
    void deletingAnUnknownKeyIs404() {
        String id = UUID.randomUUID().toString();
        asAdmin().delete("/api/keys/" + id).then().statusCode(404).body("error.code", equalTo("key_not_found"))
                .body("error.message", containsString(id));
        asAdmin().delete("/api/keys/not-an-id").then().statusCode(404);
    }

    @Test
    void aDeletedKeyIsRevokedAtTheScannerRefusedAtOnceAndNoLongerListed() {
        String name = unique("leaving");
        JsonPath created = create("{\"name\":\"" + name + "\"}");
        String key = created.getString("key");
        String id = created.getString("details.id");
        call(key, SIMPLE_REQUEST).then().statusCode(200);

        asAdmin().delete("/api/keys/" + id).then().statusCode(200).body("revokedAt", not(equalTo(null)));

        assertThat(scanner.grant(key).hasNonNull("revokedAt")).isTrue();
        // the token may still be in the gateway's token cache: the key's policy refuses it at once
        call(key, SIMPLE_REQUEST).then().statusCode(401).body("error.message", containsString("'" + name + "'"))
                .body(not(containsString(key)));
        asAdmin().get("/api/keys").then().statusCode(200).body("id", not(hasItem(id)));
    }

    @Test
    void whileTheScannerDoesNotAnswerKeysAreNeitherCreatedNorDeletedAnd503SaysWhy() {
        JsonPath created = create("{\"name\":\"" + unique("kept") + "\"}");
        String id = created.getString("details.id");
        String name = unique("never");
        scanner.stop();
        try {
            asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}").post("/api/keys").then()
                    .statusCode(503).header("Retry-After", equalTo("5"))
                    .body("error.code", equalTo("scanner_unavailable"))
                    .body("error.message", containsString("scanner"));
            asAdmin().delete("/api/keys/" + id).then().statusCode(503);
        } finally {
            scanner.restart();
        }
        JsonPath listed = asAdmin().get("/api/keys").then().statusCode(200).extract().jsonPath();
        assertThat(listed.getList("id")).contains(id);
        assertThat(listed.getList("name")).doesNotContain(name);
        call(created.getString("key"), SIMPLE_REQUEST).then().statusCode(200);
    }

    @Test
    void aKeyOverItsBudgetIsRefused402NamingTheKeyAndItsBudget() {
        String name = unique("small");
        JsonPath created = create("{\"name\":\"" + name + "\",\"tokensPerDay\":100}");
        String id = created.getString("details.id");
        String secret = created.getString("key");

        // prompt plus max_tokens 200: more than the key's 100 tokens a day
        call(secret, "{\"model\":\"default\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .then().statusCode(402)
                .body("error.code", equalTo("budget_exhausted"))
                .body("error.message", containsString("key '" + name + "''s daily token budget"))
                .body("error.budget.scope", equalTo("key"))
                .body("error.budget.key_id", equalTo(id))
                .body("error.budget.limit", equalTo(100));
        assertThat(llm.chatRequests()).isEmpty();
    }

    @Test
    void aKeyWhoseDailyCostBudgetIsSpentIsRefused402NamingTheKeyAndNotBefore() {
        String name = unique("thrifty");
        JsonPath created = create("{\"name\":\"" + name + "\",\"costPerDay\":0.003}");
        String key = created.getString("key");
        llm.usage(60, 40);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(call(key, capped("key cost rq " + i + "!!!")).statusCode());
        }

        // each reserves 0.0010275 USD and costs 0.00055 (fake-model: 2.5 / 10 USD per million prompt / completion
        // tokens): 0, 0.00055, 0.0011, 0.00165, 0.0022 spent before each; the fifth would end at 0.0032275 > 0.003
        assertThat(statuses).containsExactly(200, 200, 200, 200, 402);
        assertThat(llm.chatRequests()).hasSize(4);
        JsonPath refused = call(key, capped("key cost rq 9!!!")).then().statusCode(402).extract().jsonPath();
        assertThat(refused.getString("error.code")).isEqualTo("budget_exhausted");
        assertThat(refused.getString("error.message")).contains("key '" + name + "''s daily cost budget");
        assertThat(refused.getString("error.budget.scope")).isEqualTo("key");
        assertThat(refused.getString("error.budget.key_id")).isEqualTo(created.getString("details.id"));
        assertThat(refused.getString("error.budget.kind")).isEqualTo("cost");
        assertThat(refused.getString("error.budget.period")).isEqualTo("day");
        assertThat(new BigDecimal(refused.getString("error.budget.limit"))).isEqualByComparingTo("0.003");
        assertThat(new BigDecimal(refused.getString("error.budget.used"))).isEqualByComparingTo("0.0022");
    }

    @Test
    void aKeysMonthlyCostBudgetCountsTooAndResetsAtTheNextMonth() {
        String name = unique("monthly");
        String key = create("{\"name\":\"" + name + "\",\"costPerMonth\":0.0015}").getString("key");
        llm.usage(60, 40);

        // 0 + 0.0010275 fits 0.0015; 0.00055 spent + 0.0010275 does not
        call(key, capped("key month rq 1!!")).then().statusCode(200);
        JsonPath refused = call(key, capped("key month rq 2!!")).then().statusCode(402).extract().jsonPath();

        assertThat(refused.getString("error.message")).contains("key '" + name + "''s monthly cost budget");
        assertThat(refused.getString("error.budget.kind")).isEqualTo("cost");
        assertThat(refused.getString("error.budget.period")).isEqualTo("month");
        Instant nextMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        assertThat(Instant.parse(refused.getString("error.budget.resets_at"))).isEqualTo(nextMonth);
        assertThat(llm.chatRequests()).hasSize(1);
    }

    @Test
    void aKeysRequestsPerMinuteAreCountedOverTheWindowAndTheNextIsRefused429WithRetryAfter() {
        String name = unique("rpm");
        String key = create("{\"name\":\"" + name + "\",\"requestsPerMinute\":2}").getString("key");

        call(key, SIMPLE_REQUEST).then().statusCode(200);
        call(key, SIMPLE_REQUEST).then().statusCode(200);
        Response refused = call(key, SIMPLE_REQUEST);

        refused.then().statusCode(429).body("error.code", equalTo("key_rate_limited"))
                .body("error.message", containsString("'" + name + "' is limited to 2 requests per minute"));
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 61);
        assertThat(llm.chatRequests()).hasSize(2);
    }

    @Test
    void aKeysTokensPerMinuteCountTheEstimateAndRefuseWhatDoesNotFit429() {
        String name = unique("tpm");
        String key = create("{\"name\":\"" + name + "\",\"tokensPerMinute\":200}").getString("key");
        llm.usage(40, 10);
        String body = "{\"model\":\"default\",\"max_tokens\":150,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

        // the first fits an empty window; it is corrected to the 50 tokens used, and 50 + ~155 does not fit 200
        call(key, body).then().statusCode(200);
        call(key, body).then().statusCode(429).body("error.code", equalTo("key_rate_limited"))
                .body("error.message", containsString("limited to 200 tokens per minute and has used 50"))
                .header("Retry-After", not(equalTo(null)));
    }

    @Test
    void aKeysStreamOverItsBudgetIsRefusedAtAdmissionAndAStreamHoldingTheReservationIsSettledWithinTheBudget()
            throws Exception {
        // 400 tokens a day; each stream reserves its prompt plus max_tokens 250 and uses 50
        JsonPath created = create("{\"name\":\"" + unique("streamer") + "\",\"tokensPerDay\":400}");
        String key = created.getString("key");
        String id = created.getString("details.id");
        llm.answer("one two three four five six seven eight").usage(40, 10).streamChunkDelay(Duration.ofMillis(150));
        String body = "{\"model\":\"default\",\"stream\":true,\"max_tokens\":250,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Count to eight\"}]}";

        CompletableFuture<HttpResponse<String>> first = stream(key, body);
        await().atMost(Duration.ofSeconds(5)).until(() -> llm.chatRequests().size() == 1);

        HttpResponse<String> refused = stream(key, body).get();
        assertThat(refused.statusCode()).isEqualTo(402);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(refused.body()).contains("budget_exhausted").contains("daily token budget").contains(id);

        HttpResponse<String> done = first.get();
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("data: [DONE]");
        // settled to the 50 tokens used: the key's next streams fit again, until the budget is spent
        List<Integer> statuses = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> stream(key, body).get().statusCode() == 200);
        for (int i = 0; i < 8; i++) {
            statuses.add(stream(key, body).get().statusCode());
        }
        assertThat(statuses).contains(402);
        long spent = asAdmin().get("/api/keys").then().extract().jsonPath()
                .getLong("find { it.id == '" + id + "' }.spent.today.tokens");
        assertThat(spent).isLessThanOrEqualTo(400);
        JsonPath usage = awaitUsage("key=" + id + "&groupBy=key", u -> u.getLong("totals.requests") >= 3);
        assertThat(usage.getString("groups[0].key")).isEqualTo(id);
        assertThat(usage.getLong("groups[0].totals.totalTokens")).isEqualTo(usage.getLong("totals.totalTokens"));
    }

    private CompletableFuture<HttpResponse<String>> stream(String key, String body) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").header("X-Drep-Cache", "bypass")
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return TestHttpClient.create().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void usageGroupsByKeyAndFiltersByKey() {
        String a = create("{\"name\":\"" + unique("group-a") + "\"}").getString("details.id");
        JsonPath b = create("{\"name\":\"" + unique("group-b") + "\"}");
        call(b.getString("key"), SIMPLE_REQUEST).then().statusCode(200);

        JsonPath usage = awaitUsage("key=" + b.getString("details.id") + "&groupBy=key",
                u -> u.getLong("totals.requests") == 1);
        assertThat(usage.getList("groups.key")).containsExactly(b.getString("details.id"));
        assertThat(awaitUsage("key=" + a, u -> true).getLong("totals.requests")).isZero();
        asAdmin().get("/api/usage?groupBy=colour").then().statusCode(400).body("error.param", equalTo("groupBy"));
        asAdmin().get("/api/usage?key=nope").then().statusCode(400).body("error.param", equalTo("key"));
    }
}
