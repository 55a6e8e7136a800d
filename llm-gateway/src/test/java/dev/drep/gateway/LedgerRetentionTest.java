package dev.drep.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.gateway.ledger.LedgerRetention;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The usage ledger is purged past its retention (400 days by default), in batches, together with the totals of budget
 * periods that ended; nothing of the current month (the budgets' longest period) goes, however short the retention.
 * The purges run as if years ago, so that only each test's rows are old enough for them.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class LedgerRetentionTest extends GatewayTestBase {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    LedgerRetention retention;
    @Inject
    Pool pool;

    @Test
    void recordsOlderThanTheConfiguredRetentionGoInBatches() {
        Instant now = Instant.parse("2012-06-15T12:00:00Z");
        List<UUID> old = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            old.add(record(now.minus(Duration.ofDays(401 + i))));
        }
        UUID recent = record(now.minus(Duration.ofDays(399)));

        // batches of two: 2 and a short 1, which ends the purge
        assertThat(retention.purge(now, Duration.ofDays(400), 2).await().atMost(WAIT)).isEqualTo(3);

        List<UUID> all = new ArrayList<>(old);
        all.add(recent);
        assertThat(existing(all)).containsExactly(recent);
    }

    @Test
    void nothingOfTheCurrentBudgetPeriodsGoesWhateverTheRetention() {
        Instant now = Instant.parse("2016-03-20T12:00:00Z");
        UUID lastMonth = record(Instant.parse("2016-02-27T10:00:00Z"));
        UUID thisMonth = record(Instant.parse("2016-03-02T10:00:00Z"));
        UUID today = record(Instant.parse("2016-03-20T06:00:00Z"));
        String scope = "repository:retention-" + UUID.randomUUID();
        period(scope, "day", LocalDate.parse("2016-02-27"));
        period(scope, "month", LocalDate.parse("2016-02-01"));
        period(scope, "day", LocalDate.parse("2016-03-02"));
        period(scope, "month", LocalDate.parse("2016-03-01"));
        period(scope, "day", LocalDate.parse("2016-03-20"));

        // (the other test's records, years older, may go too: only this test's rows are looked at)
        assertThat(retention.purge(now, Duration.ofDays(1), 100).await().atMost(WAIT)).isPositive();

        assertThat(existing(List.of(lastMonth, thisMonth, today))).containsExactlyInAnyOrder(thisMonth, today);
        List<String> periods = new ArrayList<>();
        pool.preparedQuery("SELECT period, period_start FROM gateway.budget_usage WHERE scope = $1")
                .execute(Tuple.of(scope)).await().atMost(WAIT)
                .forEach(row -> periods.add(row.getString("period") + " " + row.getLocalDate("period_start")));
        assertThat(periods).containsExactlyInAnyOrder("day 2016-03-02", "month 2016-03-01", "day 2016-03-20");
    }

    private UUID record(Instant created) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO gateway.usage_record (id, created_at, priority, requested_alias, prompt_tokens, "
                + "completion_tokens, total_tokens, cost_usd, usage_estimated, cache_hit, queue_wait_ms, provider_ms, "
                + "latency_ms, attempts, outcome, http_status) VALUES ($1, $2, 'NORMAL', 'default', 1, 1, 2, 0, false, "
                + "false, 0, 0, 0, 1, 'OK', 200)")
                .execute(Tuple.of(id, created.atOffset(ZoneOffset.UTC))).await().atMost(WAIT);
        return id;
    }

    private void period(String scope, String period, LocalDate start) {
        pool.preparedQuery("INSERT INTO gateway.budget_usage (scope, period, period_start, tokens) VALUES ($1, $2, $3, 5)")
                .execute(Tuple.of(scope, period, start)).await().atMost(WAIT);
    }

    private List<UUID> existing(List<UUID> ids) {
        List<UUID> found = new ArrayList<>();
        pool.preparedQuery("SELECT id FROM gateway.usage_record WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new))).await().atMost(WAIT)
                .forEach(row -> found.add(row.getUUID("id")));
        return found;
    }
}
