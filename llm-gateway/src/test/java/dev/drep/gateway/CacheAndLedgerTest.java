package dev.drep.gateway;

import dev.drep.testsupport.http.TestHttpClient;
import dev.drep.testsupport.identity.TestTokens;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.drep.gateway.ledger.UsageLedger;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmFault;
import dev.drep.testsupport.llm.FakeLlmResource;
import dev.drep.testsupport.llm.FakeUsage;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The response cache, the usage ledger with {@code GET /api/usage}, and what the gateway does with bad input. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class CacheAndLedgerTest extends GatewayTestBase {

    @TestHTTPResource("/v1/chat/completions")
    URI endpoint;

    @Inject
    UsageLedger ledger;

    private static ExtractableResponse<Response> post(String job, String body, Map<String, String> headers) {
        return asAdmin().contentType(ContentType.JSON).header("X-Drep-Job", job).headers(headers).body(body)
                .when().post("/v1/chat/completions").then().extract();
    }

    /**
     * A database that is away for a moment (a restart: the end-to-end test of a PostgreSQL restart lost these rows)
     * costs the ledger nothing: the write is tried again with back-off. The table is renamed away for two seconds,
     * which fails the insert as a restart would, on the real database.
     */
    @Test
    void aRequestAnsweredWhileTheLedgerCannotBeWrittenIsRecordedOnceTheDatabaseIsBack() throws Exception {
        String job = freshJob();
        pool.query("ALTER TABLE gateway.usage_record RENAME TO usage_record_away").executeAndAwait();
        try {
            assertThat(post(job, request("default", "during an outage " + UUID.randomUUID()), Map.of()).statusCode())
                    .isEqualTo(200);
            Thread.sleep(2000); // the first write fails meanwhile
        } finally {
            pool.query("ALTER TABLE gateway.usage_record_away RENAME TO usage_record").executeAndAwait();
        }

        JsonPath usage = awaitUsage("job=" + job, u -> u.getLong("totals.requests") == 1);
        assertThat(usage.getLong("totals.requests")).as("the request, recorded once").isEqualTo(1);
        Thread.sleep(1500); // a retry after the write succeeded would add a second row
        assertThat(awaitUsage("job=" + job, u -> false).getLong("totals.requests")).isEqualTo(1);
    }

    /** The ledger is written in batches off the request path: a burst of requests costs fewer inserts than rows. */
    @Test
    void aBurstOfRequestsIsRecordedOnceEachInFewerInsertsThanRows() throws Exception {
        String job = freshJob();
        long rowsBefore = ledger.writtenRows();
        long batchesBefore = ledger.writtenBatches();
        int requests = 12;
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String body = request("default", "burst " + i + " " + UUID.randomUUID());
                answers.add(clients.submit(() -> post(job, body, Map.of()).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
        }

        JsonPath usage = awaitUsage("job=" + job, u -> u.getLong("totals.requests") == requests);
        assertThat(usage.getLong("totals.requests")).as("each request recorded once").isEqualTo(requests);
        long rows = ledger.writtenRows() - rowsBefore;
        long batches = ledger.writtenBatches() - batchesBefore;
        assertThat(rows).isGreaterThanOrEqualTo(requests);
        assertThat(batches).as("inserts for %d rows", rows).isLessThanOrEqualTo(rows / 2);
    }

    /**
     * The cache's in-memory front: an answer this replica stored is served again without PostgreSQL, here while the
     * cache table cannot be read at all (before, that lookup failed and counted as a miss: a second provider call).
     */
    @Test
    void aRepeatedRequestIsAnsweredFromMemoryWithoutTheDatabase() {
        String job = freshJob();
        String body = request("default", "remember me " + UUID.randomUUID());
        assertThat(post(job, body, Map.of()).header("X-Drep-Cache")).isEqualTo("miss");
        int providerCalls = llm.chatRequests().size();

        pool.query("ALTER TABLE gateway.response_cache RENAME TO response_cache_away").executeAndAwait();
        ExtractableResponse<Response> again;
        try {
            again = post(job, body, Map.of());
        } finally {
            pool.query("ALTER TABLE gateway.response_cache_away RENAME TO response_cache").executeAndAwait();
        }

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.header("X-Drep-Cache")).isEqualTo("hit");
        assertThat(llm.chatRequests()).as("no second provider call").hasSize(providerCalls);
    }

    @Test
    void aCacheHitCostsNothingAndIsMarkedInTheLedger() {
        llm.usage(120, 30);
        String job = freshJob();
        String body = request("default", "cache me " + UUID.randomUUID());

        ExtractableResponse<Response> first = post(job, body, Map.of());
        ExtractableResponse<Response> second = post(job, body, Map.of());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.header("X-Drep-Cache")).isEqualTo("miss");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.header("X-Drep-Cache")).isEqualTo("hit");
        assertThat(second.jsonPath().getString("choices[0].message.content"))
                .isEqualTo(first.jsonPath().getString("choices[0].message.content"));
        assertThat(second.jsonPath().getString("model")).isEqualTo("default");
        assertThat(llm.chatRequests()).hasSize(1);

        JsonPath usage = awaitUsage("job=" + job, u -> u.getLong("totals.requests") == 2);
        assertThat(usage.getLong("totals.cacheHits")).isEqualTo(1);
        assertThat(usage.getLong("totals.promptTokens")).isEqualTo(120);
        assertThat(usage.getLong("totals.completionTokens")).isEqualTo(30);
        Map<String, Object> hit = usage.getMap("records.find { it.cacheHit == true }");
        assertThat(hit).containsEntry("promptTokens", 0).containsEntry("completionTokens", 0)
                .containsEntry("attempts", 0).containsEntry("outcome", "ok");
        assertThat(new BigDecimal(hit.get("costUsd").toString())).isZero();
        // callers learn each request's cost from X-Drep-Cost: the ledger's figure for the miss, 0 for the hit
        Map<String, Object> miss = usage.getMap("records.find { it.cacheHit == false }");
        assertThat(new BigDecimal(first.header("X-Drep-Cost")))
                .isEqualByComparingTo(new BigDecimal(miss.get("costUsd").toString()))
                .isEqualByComparingTo("0.0006");
        assertThat(new BigDecimal(second.header("X-Drep-Cost"))).isZero();
    }

    @Test
    void bypassSkipsTheLookupAndRefreshesTheAnswer() {
        String body = request("default", "bypass me " + UUID.randomUUID());
        post(freshJob(), body, Map.of());
        llm.answer("a fresher answer");

        ExtractableResponse<Response> bypassed = post(freshJob(), body, Map.of("X-Drep-Cache", "bypass"));
        ExtractableResponse<Response> afterwards = post(freshJob(), body, Map.of());

        assertThat(bypassed.header("X-Drep-Cache")).isEqualTo("bypass");
        assertThat(bypassed.jsonPath().getString("choices[0].message.content")).isEqualTo("a fresher answer");
        assertThat(afterwards.header("X-Drep-Cache")).isEqualTo("hit");
        assertThat(afterwards.jsonPath().getString("choices[0].message.content")).isEqualTo("a fresher answer");
        assertThat(llm.chatRequests()).hasSize(2);
    }

    @Test
    void theKeyCoversModelMessagesAndParameters() {
        String content = "key material " + UUID.randomUUID();
        post(freshJob(), request("default", content), Map.of());
        post(freshJob(), request("fast", content), Map.of());
        post(freshJob(), "{\"model\":\"default\",\"temperature\":0.5,\"messages\":[{\"role\":\"user\",\"content\":\""
                + content + "\"}]}", Map.of());
        post(freshJob(), "{\"model\":\"default\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"" + content + "\"}]}", Map.of());

        assertThat(llm.chatRequests()).hasSize(4);
    }

    @Test
    void failuresAreNotCached() {
        String body = request("default", "fail once " + UUID.randomUUID());
        llm.failNext(FakeLlmFault.status(404));
        post(freshJob(), body, Map.of());

        ExtractableResponse<Response> retried = post(freshJob(), body, Map.of());

        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.header("X-Drep-Cache")).isEqualTo("miss");
    }

    @Test
    void anUnknownCacheDirectiveIsABadRequest() {
        asAdmin().contentType(ContentType.JSON).header("X-Drep-Cache", "refresh-please").body(SIMPLE_REQUEST)
                .when().post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.param", equalTo("X-Drep-Cache"))
                .body("error.code", equalTo("invalid_cache_directive"));
    }

    @Test
    void ledgerTotalsEqualTheSumOfTheRequests() {
        llm.usage((request, answer) -> new FakeUsage(request.lastUserMessage().length(), 7));
        String job = freshJob();
        String repository = "ledger/" + UUID.randomUUID();
        int prompt = 0;
        for (int i = 1; i <= 5; i++) {
            String content = "x".repeat(i * 10) + UUID.randomUUID();
            prompt += content.length();
            asAdmin().contentType(ContentType.JSON).header("X-Drep-Job", job).header("X-Drep-Repository", repository)
                    .body(request(i % 2 == 0 ? "fast" : "default", content))
                    .when().post("/v1/chat/completions").then().statusCode(200);
        }

        JsonPath usage = awaitUsage("job=" + job, u -> u.getLong("totals.requests") == 5);

        List<Map<String, Object>> records = usage.getList("records");
        assertThat(records).hasSize(5);
        assertThat(usage.getLong("totals.promptTokens")).isEqualTo(prompt)
                .isEqualTo(records.stream().mapToLong(r -> ((Number) r.get("promptTokens")).longValue()).sum());
        assertThat(usage.getLong("totals.completionTokens")).isEqualTo(35);
        assertThat(usage.getLong("totals.totalTokens")).isEqualTo(prompt + 35L);
        BigDecimal summed = records.stream().map(r -> new BigDecimal(r.get("costUsd").toString()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(new BigDecimal(usage.getString("totals.costUsd"))).isEqualByComparingTo(summed);
        // Only fake-model has a price (2.5 / 10 USD per million); "fast" runs on fake-small, which costs nothing.
        long defaultPrompt = records.stream().filter(r -> "default".equals(r.get("alias")))
                .mapToLong(r -> ((Number) r.get("promptTokens")).longValue()).sum();
        BigDecimal expected = BigDecimal.valueOf(defaultPrompt * 25 + 3 * 7 * 100, 7);
        assertThat(summed).isEqualByComparingTo(expected);
        assertThat(records).allSatisfy(r -> {
            assertThat(r).containsEntry("repository", repository).containsEntry("job", job)
                    .containsEntry("outcome", "ok").containsEntry("httpStatus", 200)
                    .containsEntry("usageEstimated", false).containsEntry("cacheHit", false)
                    .containsEntry("attempts", 1).containsEntry("priority", "batch");
            assertThat(((Number) r.get("latencyMs")).doubleValue()).isPositive();
        });

        // Filters: repository, model (alias or provider model), time.
        assertThat(awaitUsage("repository=" + repository, u -> true).getLong("totals.requests")).isEqualTo(5);
        assertThat(awaitUsage("job=" + job + "&model=fast", u -> true).getLong("totals.requests")).isEqualTo(2);
        assertThat(awaitUsage("job=" + job + "&model=fake-small", u -> true).getLong("totals.requests")).isEqualTo(2);
        String future = Instant.now().plus(1, ChronoUnit.HOURS).toString();
        assertThat(awaitUsage("job=" + job + "&from=" + future, u -> true).getLong("totals.requests")).isZero();
        assertThat(awaitUsage("job=" + job + "&to=" + future, u -> true).getLong("totals.requests")).isEqualTo(5);
        JsonPath limited = awaitUsage("job=" + job + "&limit=2", u -> true);
        assertThat(limited.getList("records")).hasSize(2);
        assertThat(limited.getBoolean("truncated")).isTrue();
        assertThat(limited.getLong("totals.requests")).isEqualTo(5);
    }

    @Test
    void aCallerThatMayNotActForRepositoriesIsAccountedToItselfWhateverItsHeadersSay() {
        String job = "own-" + UUID.randomUUID();
        TestTokens.as(TestTokens.LLM_CLIENT).contentType(ContentType.JSON).header("X-Drep-Job", job)
                .header("X-Drep-Repository", "victim/repo").body(SIMPLE_REQUEST)
                .post("/v1/chat/completions").then().statusCode(200);
        JsonPath usage = awaitUsage("job=" + job, u -> u.getLong("totals.requests") == 1);
        assertThat(usage.getString("records[0].repository")).isEqualTo("caller:test-client");
        // the analyzer's service token names the repository it works for
        String analyzed = "analysed-" + UUID.randomUUID();
        TestTokens.as(TestTokens.ANALYZER_SERVICE).contentType(ContentType.JSON).header("X-Drep-Job", analyzed)
                .header("X-Drep-Repository", "acme/reviewed").body(SIMPLE_REQUEST)
                .post("/v1/chat/completions").then().statusCode(200);
        assertThat(awaitUsage("job=" + analyzed, u -> u.getLong("totals.requests") == 1).getString("records[0].repository"))
                .isEqualTo("acme/reviewed");
        // reading the ledger needs usage:read, which an LLM client does not have
        TestTokens.as(TestTokens.LLM_CLIENT).get("/api/usage").then().statusCode(403)
                .body("error.type", equalTo("permission_error")).body("error.message", containsString("'usage:read'"));
        TestTokens.anonymous().contentType(ContentType.JSON).body(SIMPLE_REQUEST).post("/v1/chat/completions").then()
                .statusCode(401).body("error.type", equalTo("authentication_error"));
    }

    @Test
    void usageFiltersAreValidated() {
        asAdmin().when().get("/api/usage?from=yesterday").then().statusCode(400)
                .body("error.param", equalTo("from")).body("error.message", containsString("ISO-8601"));
        asAdmin().when().get("/api/usage?limit=0").then().statusCode(400).body("error.param", equalTo("limit"));
        asAdmin().when().get("/api/usage?from=2020-01-01&limit=1").then().statusCode(200);
    }

    @Test
    void anAnswerWithoutUsageIsChargedTheEstimateAndMarked() {
        llm.failNext(FakeLlmFault.missingUsage());
        String job = freshJob();
        String content = "sixteen chars ok";

        asAdmin().contentType(ContentType.JSON).header("X-Drep-Job", job).body(request("default", content))
                .when().post("/v1/chat/completions").then().statusCode(200);

        Map<String, Object> record = awaitUsage("job=" + job, u -> u.getLong("totals.requests") == 1)
                .getMap("records[0]");
        // prompt: 3 priming + 4 framing + 16 / 4; completion: "echo: sixteen chars ok" is 22 characters
        assertThat(record).containsEntry("usageEstimated", true).containsEntry("promptTokens", 11)
                .containsEntry("completionTokens", 6).containsEntry("outcome", "ok");
    }

    @Test
    void anAnswerThatIsNotJsonIsLedgeredWithTheEstimate() {
        llm.failNext(FakeLlmFault.nonJson());
        String job = freshJob();

        asAdmin().contentType(ContentType.JSON).header("X-Drep-Job", job)
                .body("{\"model\":\"default\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"sixteen chars ok\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(502)
                .body("error.code", equalTo("provider_bad_response"));

        Map<String, Object> record = awaitUsage("job=" + job, u -> u.getLong("totals.requests") == 1)
                .getMap("records[0]");
        assertThat(record).containsEntry("usageEstimated", true).containsEntry("promptTokens", 11)
                .containsEntry("completionTokens", 50).containsEntry("outcome", "provider_bad_response")
                .containsEntry("httpStatus", 502);
    }

    @Test
    void anOversizedBodyIsRefusedNamingTheLimit() {
        String huge = request("default", "y".repeat(70_000));

        asAdmin().contentType(ContentType.JSON).body(huge)
                .when().post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.code", equalTo("request_too_large"))
                .body("error.message", containsString("65536 bytes"))
                .body("error.message", containsString("drep.gateway.max-request-bytes"));
        assertThat(llm.chatRequests()).isEmpty();
    }

    @Test
    void anOversizedBodyWithoutContentLengthIsRefusedToo() throws Exception {
        byte[] huge = request("default", "z".repeat(70_000)).getBytes(StandardCharsets.UTF_8);
        HttpRequest chunked = HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + TestTokens.ANALYZER_SERVICE).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).build();

        HttpResponse<String> answer = TestHttpClient.create().send(chunked, HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("request_too_large", "65536 bytes");
        assertThat(llm.chatRequests()).isEmpty();
    }
}
