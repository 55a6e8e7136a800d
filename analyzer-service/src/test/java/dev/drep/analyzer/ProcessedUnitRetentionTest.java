package dev.drep.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.analyzer.unit.ProcessedUnitRetention;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Processed-unit records past their retention (30 days by default) go, in batches; recent ones stay. */
@QuarkusTest
class ProcessedUnitRetentionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    ProcessedUnitRetention retention;
    @Inject
    Pool pool;

    @Test
    void recordsOlderThanTheRetentionAreDeletedInBatches() {
        // the purge runs as if ten years ago, so that only this test's records are old enough for it
        Instant now = Instant.now().minus(Duration.ofDays(3650));
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            old.add(unit(now.minus(Duration.ofDays(31 + i))));
        }
        String recent = unit(now.minus(Duration.ofDays(29)));

        // batches of two: 2, 2 and a short 1, which ends the purge
        assertThat(retention.purge(now, 2).await().atMost(WAIT)).isEqualTo(5);

        List<String> all = new ArrayList<>(old);
        all.add(recent);
        assertThat(existing(all)).containsExactly(recent);
        assertThat(retention.purge(now, 2).await().atMost(WAIT)).as("nothing left to delete").isZero();
    }

    private String unit(Instant processed) {
        String id = "retention-" + UUID.randomUUID();
        pool.preparedQuery("INSERT INTO analyzer.processed_unit (unit_id, job_id, processed_at) VALUES ($1, 'job', $2)")
                .execute(Tuple.of(id, processed.atOffset(ZoneOffset.UTC))).await().atMost(WAIT);
        return id;
    }

    private List<String> existing(List<String> ids) {
        List<String> found = new ArrayList<>();
        pool.preparedQuery("SELECT unit_id FROM analyzer.processed_unit WHERE unit_id = ANY($1)")
                .execute(Tuple.of(ids.toArray(String[]::new))).await().atMost(WAIT)
                .forEach(row -> found.add(row.getString("unit_id")));
        return found;
    }
}
