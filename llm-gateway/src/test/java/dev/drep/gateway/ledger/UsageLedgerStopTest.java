package dev.drep.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drep.embedded.LocalPostgres;
import dev.drep.gateway.TestConfig;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the batched ledger does when the gateway stops: the rows still waiting in memory are written before the
 * pool closes. Against a real PostgreSQL with the gateway's schema; the flush interval is an hour, so only the stop
 * can have written them.
 */
class UsageLedgerStopTest {
    private static LocalPostgres postgres;
    private static Vertx vertx;
    private static Pool pool;

    @BeforeAll
    static void database() throws Exception {
        postgres = LocalPostgres.start(null, 0);
        vertx = Vertx.vertx();
        pool = PgPool.pool(vertx, new PgConnectOptions().setHost("127.0.0.1").setPort(postgres.port())
                .setDatabase(LocalPostgres.DATABASE).setUser(LocalPostgres.USER).setPassword(LocalPostgres.PASSWORD),
                new PoolOptions().setMaxSize(2));
        // the gateway's schema, migrated by Flyway as at start-up
        Flyway.configure().dataSource(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD)
                .schemas("gateway").defaultSchema("gateway").load().migrate();
    }

    @AfterAll
    static void close() throws Exception {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        postgres.close();
    }

    private static UsageEntry entry(String job) {
        return new UsageEntry(Instant.now(), "acme/app", job, "batch", "simple", "default", "default", "default",
                "fake-model", 100, 20, new BigDecimal("0.000123"), false, false, Duration.ofMillis(3),
                Duration.ofMillis(40), Duration.ofMillis(45), 1, "ok", 200, null);
    }

    private static long rows(String job) {
        return pool.preparedQuery("SELECT count(*) FROM gateway.usage_record WHERE job = $1")
                .executeAndAwait(Tuple.of(job)).iterator().next().getLong(0);
    }

    @Test
    void aStopWritesTheRowsStillWaitingInBatches() {
        String job = "stop-" + UUID.randomUUID();
        UsageLedger ledger = new UsageLedger(vertx, pool, TestConfig.of(Map.of(
                "drep.gateway.ledger.flush-interval", "1h", "drep.gateway.ledger.batch-size", "4")));
        for (int i = 0; i < 10; i++) {
            ledger.record(entry(job));
        }
        // a full batch is written at once, without waiting for the interval; the rest waits
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.writtenRows() >= 8);
        assertThat(rows(job)).as("two full batches of 4, before the stop").isEqualTo(8);

        ledger.stop(null);

        assertThat(rows(job)).as("the 2 rows still waiting, written by the stop").isEqualTo(10);
        assertThat(ledger.failedWrites()).isZero();
        assertThat(pool.preparedQuery("SELECT sum(total_tokens), sum(cost_usd) FROM gateway.usage_record WHERE job = $1")
                .executeAndAwait(Tuple.of(job)).iterator().next().getBigDecimal(1))
                .isEqualByComparingTo("0.00123");
    }
}
