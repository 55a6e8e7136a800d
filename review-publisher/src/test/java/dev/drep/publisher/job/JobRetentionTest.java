package dev.drep.publisher.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
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

/**
 * Ended jobs past their retention (30 days by default) go with their received results and commit status; jobs still
 * being posted, ended jobs whose final event is not sent yet, recent ones and the records of a pull request's
 * comments stay.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
class JobRetentionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    JobRetention retention;
    @Inject
    Pool pool;

    @Test
    void endedJobsOlderThanTheRetentionAreDeletedInBatchesWithTheirResults() {
        // the purge runs as if ten years ago, so that only this test's jobs are old enough for it and the counts
        // below are its own
        Instant now = Instant.now().minus(Duration.ofDays(3650));
        Instant longAgo = now.minus(Duration.ofDays(60));
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            old.add(job(i % 2 == 0 ? "PUBLISHED" : "FAILED", true, longAgo, now.minus(Duration.ofDays(31 + i))));
        }
        // registered long ago and never complete: abandoned
        old.add(job("GATHERING", false, longAgo, null));
        String recent = job("PUBLISHED", true, longAgo, now.minus(Duration.ofDays(29)));
        String posting = job("PUBLISHING", false, longAgo, null);
        // another replica is posting it (so that this replica's retry leaves it alone too)
        pool.preparedQuery("UPDATE publisher.tracked_job SET claimed_by = 'elsewhere', claim_expires_at = now() + "
                + "interval '1 hour' WHERE job_id = $1").execute(Tuple.of(posting)).await().atMost(WAIT);
        String unsent = job("FAILED", false, longAgo, now.minus(Duration.ofDays(40)));
        result(old.get(0));
        result(old.get(4));
        result(recent);
        status(old.get(0));
        status(recent);
        String scope = "gitea:acme/retention#" + UUID.randomUUID();
        pool.preparedQuery("INSERT INTO publisher.posted_finding (scope_key, fingerprint, state, job_id, updated_at) "
                + "VALUES ($1, 'f1', 'POSTED', $2, $3)").execute(Tuple.of(scope, old.get(0), utc(longAgo)))
                .await().atMost(WAIT);

        try {
            // batches of two: 2, 2 and a short 1, which ends the purge
            assertThat(retention.purge(now, 2).await().atMost(WAIT)).isEqualTo(5);

            assertThat(existing(old)).isEmpty();
            assertThat(existing(List.of(recent, posting, unsent))).containsExactlyInAnyOrder(recent, posting, unsent);
            assertThat(count("publisher.received_result", old)).isZero();
            assertThat(count("publisher.received_result", List.of(recent))).isOne();
            assertThat(count("publisher.commit_status", old)).isZero();
            assertThat(count("publisher.commit_status", List.of(recent))).isOne();
            assertThat(pool.preparedQuery("SELECT count(*) FROM publisher.posted_finding WHERE scope_key = $1")
                    .execute(Tuple.of(scope)).await().atMost(WAIT).iterator().next().getLong(0))
                    .as("the pull request's comment records stay for its next job").isOne();
            assertThat(retention.purge(now, 2).await().atMost(WAIT)).as("nothing left to delete").isZero();
        } finally {
            // the rows that stayed have no stored review: the publication retry of later tests must not meet them
            String[] kept = {recent, posting, unsent};
            pool.preparedQuery("DELETE FROM publisher.received_result WHERE job_id = ANY($1)").execute(Tuple.of((Object) kept))
                    .chain(() -> pool.preparedQuery("DELETE FROM publisher.commit_status WHERE job_id = ANY($1)")
                            .execute(Tuple.of((Object) kept)))
                    .chain(() -> pool.preparedQuery("DELETE FROM publisher.tracked_job WHERE job_id = ANY($1)")
                            .execute(Tuple.of((Object) kept)))
                    .chain(() -> pool.preparedQuery("DELETE FROM publisher.posted_finding WHERE scope_key = $1")
                            .execute(Tuple.of(scope)))
                    .await().atMost(WAIT);
        }
    }

    @Test
    void answersToCommandsOlderThanTheirRetentionAreDeletedAndRecentOrHeldOnesStay() {
        // as if ten years ago: only this test's replies are old enough
        Instant now = Instant.now().minus(Duration.ofDays(3650));
        List<String> old = List.of(reply("POSTED", now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(31)), false),
                reply("POSTED", now.minus(Duration.ofDays(35)), now.minus(Duration.ofDays(35)), false),
                // recorded long ago and never posted, nobody holds it: the scanner gave up on it long ago
                reply("SENDING", now.minus(Duration.ofDays(45)), null, false));
        List<String> kept = List.of(reply("POSTED", now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(29)), false),
                // a poster holds it right now
                reply("SENDING", now.minus(Duration.ofDays(45)), null, true));
        try {
            // batches of two: 2 and a short 1
            assertThat(retention.purgeReplies(now, 2).await().atMost(WAIT)).isEqualTo(3);

            assertThat(replies(old)).isEmpty();
            assertThat(replies(kept)).containsExactlyInAnyOrderElementsOf(kept);
            assertThat(retention.purgeReplies(now, 2).await().atMost(WAIT)).as("nothing left to delete").isZero();
        } finally {
            pool.preparedQuery("DELETE FROM publisher.command_reply WHERE reply_id = ANY($1)")
                    .execute(Tuple.of((Object) kept.toArray(String[]::new))).await().atMost(WAIT);
        }
    }

    private String reply(String state, Instant created, Instant posted, boolean held) {
        String id = "retention-" + UUID.randomUUID();
        pool.preparedQuery("INSERT INTO publisher.command_reply (reply_id, pull_request, state, created_at, posted_at, "
                + "claimed_by, claim_expires_at) VALUES ($1, '{}', $2, $3, $4, $5, $6)")
                .execute(Tuple.of(id, state, utc(created), posted == null ? null : utc(posted), held ? "elsewhere" : null,
                        held ? java.time.OffsetDateTime.now(ZoneOffset.UTC).plusHours(1) : null))
                .await().atMost(WAIT);
        return id;
    }

    private List<String> replies(List<String> ids) {
        List<String> found = new ArrayList<>();
        pool.preparedQuery("SELECT reply_id FROM publisher.command_reply WHERE reply_id = ANY($1)")
                .execute(Tuple.of((Object) ids.toArray(String[]::new))).await().atMost(WAIT)
                .forEach(row -> found.add(row.getString("reply_id")));
        return found;
    }

    private String job(String stage, boolean notified, Instant created, Instant ended) {
        String id = "retention-" + UUID.randomUUID();
        pool.preparedQuery("INSERT INTO publisher.tracked_job (job_id, plan, units_total, stage, notified, created_at, "
                + "published_at) VALUES ($1, '{}', 1, $2, $3, $4, $5)")
                .execute(Tuple.of(id, stage, notified, utc(created), ended == null ? null : utc(ended)))
                .await().atMost(WAIT);
        return id;
    }

    private void result(String job) {
        pool.preparedQuery("INSERT INTO publisher.received_result (unit_id, job_id, payload, received_at) "
                + "VALUES ($1, $2, '{}', now())").execute(Tuple.of(UUID.randomUUID().toString(), job)).await().atMost(WAIT);
    }

    private void status(String job) {
        pool.preparedQuery("INSERT INTO publisher.commit_status (job_id, state, updated_at) VALUES ($1, 'SET', now())")
                .execute(Tuple.of(job)).await().atMost(WAIT);
    }

    private List<String> existing(List<String> ids) {
        List<String> found = new ArrayList<>();
        pool.preparedQuery("SELECT job_id FROM publisher.tracked_job WHERE job_id = ANY($1)")
                .execute(Tuple.of(ids.toArray(String[]::new))).await().atMost(WAIT)
                .forEach(row -> found.add(row.getString("job_id")));
        return found;
    }

    private long count(String table, List<String> jobs) {
        return pool.preparedQuery("SELECT count(*) FROM " + table + " WHERE job_id = ANY($1)")
                .execute(Tuple.of(jobs.toArray(String[]::new))).await().atMost(WAIT).iterator().next().getLong(0);
    }

    private static java.time.OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
