package dev.drep.scanner.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.JobEvent;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.Severity;
import dev.drep.contracts.Stage;
import dev.drep.contracts.StageSpan;
import dev.drep.contracts.UnitUsage;
import dev.drep.scanner.PublisherStubResource;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A final job event delivered twice at once (the publisher's claim on it expired and its retry sent it again, and two
 * scanner replicas each took one copy) is applied once: the job finished is counted once and its profile gets the
 * event's stage spans once; the other delivery is acknowledged as a duplicate.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class DuplicateFinalEventTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    JobEventsConsumer consumer;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry registry;
    @Inject
    Pool pool;

    @Test
    void twoConcurrentDeliveriesOfTheSameFinalEventApplyItOnce() throws Exception {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO scanner.job (id, status, kind, repository, units_total, units_done, created_at) "
                + "VALUES ($1, 'ANALYZING', 'SCAN', 'acme/duplicate-final-event', 2, 1, now())")
                .execute(Tuple.of(id)).await().atMost(WAIT);
        Instant published = Instant.now();
        String payload = json.writeValueAsString(new JobEvent(id.toString(), JobStatus.DONE, 2, 2,
                Map.of(Severity.WARNING, 3), List.of("https://example.test/review"), null,
                List.of(new StageSpan(Stage.PUBLISHING, "publisher", published.minusMillis(50), published)),
                new UnitUsage(4, 1, 1000, 200, 0.01)));
        double countedBefore = finishedScansDone();

        // The deterministic interleaving: this test holds the job's row lock while both deliveries run, so both
        // get as far as the job row allows before either can write (without a lock of their own both have read
        // the job, still ANALYZING, by then); only once both wait for the row is it let go.
        SqlConnection holder = pool.getConnection().await().atMost(WAIT);
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            Transaction hold = holder.begin().await().atMost(WAIT);
            holder.preparedQuery("SELECT id FROM scanner.job WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
                    .await().atMost(WAIT);
            int holderPid = holder.query("SELECT pg_backend_pid() AS pid").execute().await().atMost(WAIT)
                    .iterator().next().getInteger("pid");

            // two replicas, each with its copy of the event
            Future<?> first = replicas.submit(() -> deliver(payload));
            Future<?> second = replicas.submit(() -> deliver(payload));
            awaitWaitingForTheRow(holderPid, 2);
            hold.commit().await().atMost(WAIT);

            // both deliveries complete (and are acknowledged): the duplicate is no failure to redeliver
            first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            second.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            holder.close().await().atMost(WAIT);
            replicas.shutdownNow();
            replicas.awaitTermination(10, TimeUnit.SECONDS);
        }

        assertThat(finishedScansDone() - countedBefore).as("jobs finished counted").isEqualTo(1.0);
        // the publisher's span and the event's own wait in the broker, once
        assertThat(stages(id)).as("stage spans stored").isEqualTo(2);
        Row job = pool.preparedQuery("SELECT status, units_done, warnings, llm_calls FROM scanner.job WHERE id = $1")
                .execute(Tuple.of(id)).await().atMost(WAIT).iterator().next();
        assertThat(job.getString("status")).isEqualTo("DONE");
        assertThat(job.getInteger("units_done")).isEqualTo(2);
        assertThat(job.getInteger("warnings")).isEqualTo(3);
        assertThat(job.getInteger("llm_calls")).isEqualTo(4);
    }

    /** One replica's delivery: the event applied on a Vert.x context of its own, as the receiver applies it. */
    private Void deliver(String payload) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> consumer.apply(payload));
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Waits until {@code count} other sessions wait for a lock (the job row this test holds). */
    private void awaitWaitingForTheRow(int holderPid, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long waiting = 0;
        while (System.nanoTime() < deadline) {
            waiting = pool.preparedQuery("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND pid <> $1 AND wait_event_type = 'Lock'").execute(Tuple.of(holderPid))
                    .await().atMost(WAIT).iterator().next().getLong("n");
            if (waiting >= count) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("expected " + count + " deliveries waiting for the job row, found " + waiting);
    }

    private double finishedScansDone() {
        Counter counter = registry.find("drep.scanner.jobs.finished").tag("kind", "scan").tag("outcome", "done").counter();
        return counter == null ? 0 : counter.count();
    }

    private long stages(UUID job) {
        return pool.preparedQuery("SELECT count(*) AS n FROM scanner.job_stage WHERE job_id = $1").execute(Tuple.of(job))
                .await().atMost(WAIT).iterator().next().getLong("n");
    }
}
