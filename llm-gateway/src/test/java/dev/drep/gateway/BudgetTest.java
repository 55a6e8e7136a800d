package dev.drep.gateway;

import dev.drep.testsupport.http.TestHttpClient;
import dev.drep.testsupport.identity.TestTokens;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmResource;
import dev.drep.testsupport.llm.FakeUsage;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Token and cost budgets (test configuration: {@code budget/tokens} 500 tokens a day,
 * {@code budget/cost} 0.003 USD a day, {@code budget/concurrent} 1000 tokens a day,
 * {@code budget/monthly} 150 tokens a month, {@code budget/none} nothing, {@code budget/uncapped} 3000 tokens
 * a day; fake-model costs 2.5 / 10 USD per million prompt / completion tokens). Most requests here cap
 * their answer with {@code max_tokens}, so their estimate is known: 3 priming + 4 framing + prompt
 * characters / 4 + max_tokens; those that do not use the alias {@code capped}, whose model writes at most
 * 150 tokens ({@code max-output-tokens}).
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class BudgetTest extends GatewayTestBase {

    @TestHTTPResource("/v1/chat/completions")
    URI endpoint;

    private static ExtractableResponse<Response> post(String repository, String body) {
        return asAdmin().contentType(ContentType.JSON).header("X-Drep-Repository", repository).body(body)
                .when().post("/v1/chat/completions").then().extract();
    }

    @Test
    void aTokenBudgetStopsSpendingWithoutOverrun() {
        llm.usage(60, 40);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(post("budget/tokens", capped("tokens request " + i)).statusCode());
        }

        // 500 a day, 111 reserved per request, 100 used: 0+111, 100+111, 200+111, 300+111 fit; 400+111 does not.
        assertThat(statuses).containsExactly(200, 200, 200, 200, 402, 402);
        assertThat(llm.chatRequests()).hasSize(4);

        JsonPath refused = post("budget/tokens", capped("tokens request 9")).jsonPath();
        assertThat(refused.getString("error.code")).isEqualTo("budget_exhausted");
        assertThat(refused.getString("error.type")).isEqualTo("insufficient_quota");
        assertThat(refused.getString("error.budget.scope")).isEqualTo("repository");
        assertThat(refused.getString("error.budget.repository")).isEqualTo("budget/tokens");
        assertThat(refused.getString("error.budget.period")).isEqualTo("day");
        assertThat(refused.getString("error.budget.kind")).isEqualTo("tokens");
        assertThat(refused.getInt("error.budget.limit")).isEqualTo(500);
        assertThat(refused.getInt("error.budget.used")).isEqualTo(400);
        assertThat(refused.getInt("error.budget.requested")).isEqualTo(111);
        Instant tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        assertThat(Instant.parse(refused.getString("error.budget.resets_at"))).isEqualTo(tomorrow);
        assertThat(refused.getString("error.message")).contains("budget/tokens", "daily token budget",
                "resets at " + tomorrow);
    }

    @Test
    void theRefusalCarriesRetryAfterUntilTheReset() {
        ExtractableResponse<Response> refused = post("budget/none", capped("retry-after rq 1"));

        assertThat(refused.statusCode()).isEqualTo(402);
        long secondsToMidnight = Duration.between(Instant.now(),
                LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC)).toSeconds();
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(secondsToMidnight - 5, secondsToMidnight + 5);
    }

    @Test
    void aCostBudgetStopsSpending() {
        llm.usage(60, 40);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(post("budget/cost", capped("cost request " + i + "!!")).statusCode());
        }

        // estimate 11 prompt + 100 completion tokens = 0.0010275 USD, actual 60 + 40 = 0.00055 USD:
        // 0, 0.00055, 0.0011, 0.00165, 0.0022 used before each; the fifth would end at 0.0032275 > 0.003
        assertThat(statuses).containsExactly(200, 200, 200, 200, 402, 402);
        JsonPath refused = post("budget/cost", capped("cost request 9!!")).jsonPath();
        assertThat(refused.getString("error.budget.kind")).isEqualTo("cost");
        assertThat(new BigDecimal(refused.getString("error.budget.limit"))).isEqualByComparingTo("0.003");
        assertThat(new BigDecimal(refused.getString("error.budget.used"))).isEqualByComparingTo("0.0022");
    }

    @Test
    void concurrentRequestsNeverOverrunTheBudget() throws Exception {
        llm.usage(60, 40).latency(Duration.ofMillis(30));
        TestHttpClient client = TestHttpClient.create();
        String job = freshJob();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpRequest request = HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + TestTokens.ANALYZER_SERVICE).header("Content-Type", "application/json")
                    .header("X-Drep-Repository", "budget/concurrent").header("X-Drep-Job", job)
                    .POST(HttpRequest.BodyPublishers.ofString(capped(String.format("concurrently %03d", i))))
                    .build();
            responses.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        long ok = responses.stream().filter(r -> r.join().statusCode() == 200).count();
        long refused = responses.stream().filter(r -> r.join().statusCode() == 402).count();
        assertThat(ok + refused).isEqualTo(20);
        // 1000 tokens, 111 reserved and 100 used each: whatever the interleaving, the tenth never fits
        // (at best 9 * 100 used + 111 > 1000), and a refusal needs more than 889 spent or reserved.
        assertThat(ok).isEqualTo(9);
        assertThat(llm.chatRequests()).hasSize((int) ok);
        JsonPath usage = awaitUsage("job=" + job, u -> u.getLong("totals.requests") == 20);
        assertThat(usage.getLong("totals.totalTokens")).isEqualTo(ok * 100).isLessThanOrEqualTo(1000);
    }

    @Test
    void concurrentRequestsWithoutMaxTokensNeverOverrunTheBudget() throws Exception {
        // A provider that would write 5,000 tokens unless the request caps the answer, as real ones do.
        llm.usage((request, content) -> new FakeUsage(11,
                Math.min(5000, request.json().path("max_tokens").asInt(5000)))).latency(Duration.ofMillis(30));
        TestHttpClient client = TestHttpClient.create();
        String job = freshJob();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String body = "{\"model\":\"capped\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + String.format("no max_tokens %02d", i) + "\"}]}";
            HttpRequest request = HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + TestTokens.ANALYZER_SERVICE).header("Content-Type", "application/json")
                    .header("X-Drep-Repository", "budget/uncapped").header("X-Drep-Job", job)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            responses.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        long ok = responses.stream().filter(r -> r.join().statusCode() == 200).count();
        long refused = responses.stream().filter(r -> r.join().statusCode() == 402).count();
        assertThat(ok + refused).isEqualTo(30);
        // The alias's model writes at most 150 tokens: each request reserves 11 + 150 = 161 and is sent
        // with max_tokens 150, so 3,000 tokens hold exactly 18 of them, whatever the interleaving.
        assertThat(llm.chatRequests()).hasSize((int) ok)
                .allSatisfy(sent -> assertThat(sent.json().path("max_tokens").asInt()).isEqualTo(150));
        assertThat(ok).isEqualTo(18);
        JsonPath usage = awaitUsage("job=" + job, u -> u.getLong("totals.requests") == 30);
        long spent = usage.getLong("totals.totalTokens");
        assertThat(spent).isEqualTo(ok * 161).isLessThanOrEqualTo(3000 + 161);
        JsonPath budget = post("budget/uncapped", "{\"model\":\"capped\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"no max_tokens 99\"}]}").jsonPath();
        assertThat(budget.getString("error.code")).isEqualTo("budget_exhausted");
        assertThat(budget.getLong("error.budget.used")).isEqualTo(spent);
        assertThat(budget.getLong("error.budget.requested")).isEqualTo(161);
    }

    @Test
    void aMonthlyBudgetCountsToo() {
        llm.usage(60, 40);

        assertThat(post("budget/monthly", capped("monthly request0")).statusCode()).isEqualTo(200);
        JsonPath refused = post("budget/monthly", capped("monthly request1")).jsonPath();

        assertThat(refused.getString("error.budget.period")).isEqualTo("month");
        Instant nextMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        assertThat(Instant.parse(refused.getString("error.budget.resets_at"))).isEqualTo(nextMonth);
    }

    @Test
    void refusedRequestsAreInTheLedgerWithoutCost() {
        String job = freshJob();
        for (int i = 0; i < 2; i++) {
            asAdmin().contentType(ContentType.JSON).header("X-Drep-Repository", "budget/none")
                    .header("X-Drep-Job", job).body(capped("ledger refusal " + i)).when().post("/v1/chat/completions");
        }

        JsonPath usage = awaitUsage("job=" + job, u -> u.getLong("totals.requests") == 2);

        assertThat(usage.getList("records.outcome", String.class)).containsOnly("budget_exhausted");
        assertThat(usage.getList("records.httpStatus", Integer.class)).containsOnly(402);
        assertThat(usage.getLong("totals.totalTokens")).isZero();
        assertThat(llm.chatRequests()).isEmpty();
    }

    @Test
    void otherRepositoriesAreNotLimitedByABudgetTheyDoNotHave() {
        llm.usage(600, 400);
        String repository = "budget/free-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            assertThat(post(repository, capped("free request " + i + "!!")).statusCode()).isEqualTo(200);
        }
    }
}
