package dev.drep.scanner.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.scanner.PublisherStubResource;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Finished jobs past their retention (90 days by default) go, with their stage records; everything else stays. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class JobRetentionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    JobRetention retention;
    @Inject
    Pool pool;

    @Test
    void finishedJobsOlderThanTheRetentionAreDeletedInBatchesWithTheirStages() {
        // the purge runs as if ten years ago, so that only this test's jobs are old enough for it and the counts
        // below are its own
        Instant now = Instant.now().minus(Duration.ofDays(3650));
        List<UUID> old = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            old.add(job(i % 2 == 0 ? "DONE" : "FAILED", now.minus(Duration.ofDays(200)), now.minus(Duration.ofDays(91 + i))));
        }
        UUID recent = job("DONE", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(89)));
        // created long ago and never finished: not the retention's business (a watchdog's)
        UUID unfinished = job("ANALYZING", now.minus(Duration.ofDays(200)), null);
        stage(old.get(0));
        stage(recent);

        // batches of two: 2, 2 and a short 1, which ends the purge
        assertThat(retention.purge(now, 2).await().atMost(WAIT)).isEqualTo(5);

        assertThat(existing(old)).isEmpty();
        assertThat(existing(List.of(recent, unfinished))).containsExactlyInAnyOrder(recent, unfinished);
        assertThat(stages(old.get(0))).isZero();
        assertThat(stages(recent)).isOne();
        assertThat(retention.purge(now, 2).await().atMost(WAIT)).as("nothing left to delete").isZero();
    }

    private UUID job(String status, Instant created, Instant finished) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO scanner.job (id, status, repository, created_at, finished_at) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(id, status, "acme/retention", utc(created), finished == null ? null : utc(finished)))
                .await().atMost(WAIT);
        return id;
    }

    private void stage(UUID job) {
        pool.preparedQuery("INSERT INTO scanner.job_stage (job_id, stage, source, started_at, ended_at) VALUES ($1, 'PLANNING', "
                + "'scanner', now(), now())").execute(Tuple.of(job)).await().atMost(WAIT);
    }

    private List<UUID> existing(List<UUID> ids) {
        List<UUID> found = new ArrayList<>();
        pool.preparedQuery("SELECT id FROM scanner.job WHERE id = ANY($1)").execute(Tuple.of(ids.toArray(UUID[]::new)))
                .await().atMost(WAIT).forEach(row -> found.add(row.getUUID("id")));
        return found;
    }

    private long stages(UUID job) {
        return pool.preparedQuery("SELECT count(*) AS n FROM scanner.job_stage WHERE job_id = $1").execute(Tuple.of(job))
                .await().atMost(WAIT).iterator().next().getLong("n");
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
