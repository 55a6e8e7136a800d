package dev.drep.scanner.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drep.scanner.PublisherStubResource;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The reserve's pipelined transaction ({@link ReservationStore#lockedWrite}): whatever fails — the decision, the
 * write — the transaction is rolled back and the repository's lock released before the connection goes back to the
 * pool, so the next reserve of the repository neither waits for a lock nobody will release nor lands in an aborted
 * transaction.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class ReservationTransactionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    ReservationStore store;

    @Inject
    Pool pool;

    @Test
    void aFailingWriteRollsBackAndReleasesTheLock() {
        String repository = "tx-" + UUID.randomUUID();
        Uni<Integer> failing = store.lockedWrite(repository, live -> Uni.createFrom().item(live.size()),
                (connection, size) -> connection.query("SELECT 1 / 0").execute().map(rows -> size));
        assertThatThrownBy(() -> failing.await().atMost(WAIT)).hasMessageContaining("division by zero");

        assertNothingHeld();
        assertThat(store.lockedWrite(repository, live -> Uni.createFrom().item(live.size()),
                (connection, size) -> Uni.createFrom().item(size)).await().atMost(WAIT)).isZero();
    }

    @Test
    void aFailingDecisionRollsBackAndReleasesTheLock() {
        String repository = "tx-" + UUID.randomUUID();
        Uni<Integer> failing = store.lockedWrite(repository,
                live -> Uni.createFrom().failure(new IllegalStateException("the decision failed")),
                (connection, size) -> Uni.createFrom().item(1));
        assertThatThrownBy(() -> failing.await().atMost(WAIT)).hasMessageContaining("the decision failed");

        assertNothingHeld();
        assertThat(store.lockedWrite(repository, live -> Uni.createFrom().item(live.size()),
                (connection, size) -> Uni.createFrom().item(size)).await().atMost(WAIT)).isZero();
    }

    @Test
    void theWriteIsCommitted() {
        String repository = "tx-" + UUID.randomUUID();
        store.lockedWrite(repository, live -> Uni.createFrom().item(live.size()),
                        (connection, size) -> connection.preparedQuery("INSERT INTO scanner.reservation_activity"
                                        + " (repository, holder, seen_at) VALUES ($1, 'alice', now())")
                                .execute(Tuple.of(repository)).map(rows -> size))
                .await().atMost(WAIT);

        Row row = pool.preparedQuery("SELECT count(*) AS n FROM scanner.reservation_activity WHERE repository = $1")
                .execute(Tuple.of(repository)).await().atMost(WAIT).iterator().next();
        assertThat(row.getLong("n")).isEqualTo(1);
        assertNothingHeld();
    }

    /** No session holds an advisory lock of drep's or sits in an open transaction. */
    private void assertNothingHeld() {
        Row held = pool.query("SELECT (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND classid = " + ReservationStore.LOCK_CLASS + ") AS locks,"
                        + " (SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%') AS open")
                .execute().await().atMost(WAIT).iterator().next();
        assertThat(held.getLong("locks")).as("advisory locks held").isZero();
        assertThat(held.getLong("open")).as("sessions idle in a transaction").isZero();
    }
}
