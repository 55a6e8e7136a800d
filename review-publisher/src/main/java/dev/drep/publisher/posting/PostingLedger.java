package dev.drep.publisher.posting;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The publisher's record of what it posted to platforms (tables {@code posted_finding},
 * {@code publish_scope}, {@code commit_status}).
 *
 * <p>Every write commits at once, on its own pooled connection taken for that statement only (posting
 * holds no transaction): a record must survive the crash it exists for. Methods block (they run on the
 * worker thread that posts).
 */
@ApplicationScoped
public class PostingLedger {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Where a finding's post stands. */
    public enum State {
        /** about to be sent: whether it reached the platform is unknown until its marker is looked for */
        SENDING,
        /** on the platform */
        POSTED,
        /** refused by the platform (detail says why) */
        REJECTED,
        /**
         * an inline comment about to be marked resolved on the platform (its finding was fixed): whether that reached
         * the platform is unknown until it is done again (resolving is idempotent on the platform, or looked for by its
         * marker)
         */
        RESOLVING,
        /**
         * an inline comment drep marked resolved because a later push re-analysed its file and no longer found the
         * finding (should the finding come back, it is commented on anew), or a scan issue drep closed because a later scan that analysed its file no longer found the finding;
         * should the finding come back, it gets a new issue
         */
        RESOLVED
    }

    /**
     * One finding's record in a scope.
     *
     * @param fingerprint the finding's fingerprint
     * @param state       where its post stands
     * @param jobId       the job that last wrote the record
     * @param platformId  the comment, review or issue id, when posted
     * @param url         its link, when known
     * @param detail      why it was rejected, or how it was resolved
     * @param path        the finding's file (scan issues), or null
     */
    public record Entry(String fingerprint, State state, String jobId, String platformId, String url, String detail,
            String path) {

        /** An entry without a path (inline comments). */
        public Entry(String fingerprint, State state, String jobId, String platformId, String url, String detail) {
            this(fingerprint, state, jobId, platformId, url, detail, null);
        }
    }

    /**
     * What is known about a pull request or repository.
     *
     * @param summaryId      the summary comment's id, or null
     * @param summaryUrl     its link, or null
     * @param lastJobId      the job that last wrote the summary
     * @param lastJobCreated when that job was registered
     */
    public record Scope(String summaryId, String summaryUrl, String lastJobId, Instant lastJobCreated) {
    }

    /**
     * A job's commit status.
     *
     * @param platformId the check run id (GitHub), or null
     * @param state      the last state set
     */
    public record Status(String platformId, String state) {
    }

    private final Pool pool;

    public PostingLedger(Pool pool) {
        this.pool = pool;
    }

    /** @return the scope's records by fingerprint */
    public Map<String, Entry> entries(String scopeKey) {
        Map<String, Entry> entries = new HashMap<>();
        for (Row row : run("SELECT fingerprint, state, job_id, platform_id, url, detail, path"
                + " FROM publisher.posted_finding WHERE scope_key = $1", Tuple.of(scopeKey))) {
            entries.put(row.getString("fingerprint"), new Entry(row.getString("fingerprint"),
                    State.valueOf(row.getString("state")), row.getString("job_id"), row.getString("platform_id"),
                    row.getString("url"), row.getString("detail"), row.getString("path")));
        }
        return entries;
    }

    /** Records one finding's state (insert or replace; a path recorded earlier is kept). */
    public void record(String scopeKey, String fingerprint, State state, String jobId, String platformId, String url,
            String detail) {
        record(scopeKey, fingerprint, state, jobId, platformId, url, detail, null);
    }

    /** Records one finding's state and file (insert or replace; a null path keeps the one recorded earlier). */
    public void record(String scopeKey, String fingerprint, State state, String jobId, String platformId, String url,
            String detail, String path) {
        run(UPSERT_FINDING, args(scopeKey, fingerprint, state.name(), jobId, platformId, url, detail, now(), path));
    }

    /** Records several findings in one state (one round trip). */
    public void recordAll(String scopeKey, Collection<String> fingerprints, State state, String jobId) {
        if (fingerprints.isEmpty()) {
            return;
        }
        List<Tuple> batch = new ArrayList<>();
        OffsetDateTime now = now();
        for (String fingerprint : fingerprints) {
            batch.add(args(scopeKey, fingerprint, state.name(), jobId, null, null, null, now, null));
        }
        pool.preparedQuery(UPSERT_FINDING).executeBatch(batch).await().atMost(TIMEOUT);
    }

    /**
     * What produced a posted finding, for the acceptance rate per rule and model.
     *
     * @param rule  the finding's rule (null: a comment posted before rules were recorded)
     * @param model the model that produced it (null: a deterministic analyzer, or posted before models were recorded)
     * @param messageKey its message's key ({@code MessageKeys}), or null
     */
    public record Origin(String rule, String model, String messageKey) {
        /** An origin without a message key. */
        public Origin(String rule, String model) {
            this(rule, model, null);
        }
    }

    /** Records the rule, model and message key of a posted finding (a separate statement, not part of a post). */
    public void recordOrigin(String scopeKey, String fingerprint, Origin origin) {
        run("UPDATE publisher.posted_finding SET rule = $3, model = $4, message_key = $5 WHERE scope_key = $1"
                + " AND fingerprint = $2", args(scopeKey, fingerprint, origin.rule(), origin.model(), origin.messageKey()));
    }

    /** @return the rules, models and message keys recorded with the scope's findings, by fingerprint */
    public Map<String, Origin> origins(String scopeKey) {
        Map<String, Origin> origins = new HashMap<>();
        for (Row row : run("SELECT fingerprint, rule, model, message_key FROM publisher.posted_finding"
                + " WHERE scope_key = $1", Tuple.of(scopeKey))) {
            origins.put(row.getString("fingerprint"), new Origin(row.getString("rule"), row.getString("model"),
                    row.getString("message_key")));
        }
        return origins;
    }

    /** @return what is known about the scope */
    public Optional<Scope> scope(String scopeKey) {
        for (Row row : run("SELECT summary_id, summary_url, last_job_id, last_job_created FROM publisher.publish_scope"
                + " WHERE scope_key = $1", Tuple.of(scopeKey))) {
            OffsetDateTime created = row.getOffsetDateTime("last_job_created");
            return Optional.of(new Scope(row.getString("summary_id"), row.getString("summary_url"),
                    row.getString("last_job_id"), created == null ? null : created.toInstant()));
        }
        return Optional.empty();
    }

    /** Remembers the summary comment and the job that wrote it. */
    public void saveSummary(String scopeKey, String summaryId, String summaryUrl, String jobId, Instant jobCreated) {
        run("INSERT INTO publisher.publish_scope (scope_key, summary_id, summary_url, last_job_id, last_job_created,"
                + " updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope_key) DO UPDATE SET"
                + " summary_id = excluded.summary_id, summary_url = excluded.summary_url,"
                + " last_job_id = excluded.last_job_id, last_job_created = excluded.last_job_created,"
                + " updated_at = excluded.updated_at",
                args(scopeKey, summaryId, summaryUrl, jobId, jobCreated == null ? null : jobCreated.atOffset(ZoneOffset.UTC),
                        now()));
    }

    /** @return the job's commit status record */
    public Optional<Status> status(String jobId) {
        for (Row row : run("SELECT platform_id, state FROM publisher.commit_status WHERE job_id = $1", Tuple.of(jobId))) {
            return Optional.of(new Status(row.getString("platform_id"), row.getString("state")));
        }
        return Optional.empty();
    }

    /** Records the job's commit status. */
    public void saveStatus(String jobId, String platformId, String state) {
        run("INSERT INTO publisher.commit_status (job_id, platform_id, state, updated_at) VALUES ($1, $2, $3, $4)"
                + " ON CONFLICT (job_id) DO UPDATE SET platform_id = COALESCE(excluded.platform_id,"
                + " publisher.commit_status.platform_id), state = excluded.state, updated_at = excluded.updated_at",
                args(jobId, platformId, state, now()));
    }

    private static final String UPSERT_FINDING = "INSERT INTO publisher.posted_finding (scope_key, fingerprint, state,"
            + " job_id, platform_id, url, detail, updated_at, path) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            + " ON CONFLICT (scope_key, fingerprint) DO UPDATE SET state = excluded.state, job_id = excluded.job_id,"
            + " platform_id = excluded.platform_id, url = excluded.url, detail = excluded.detail,"
            + " updated_at = excluded.updated_at, path = COALESCE(excluded.path, publisher.posted_finding.path)";

    private RowSet<Row> run(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).await().atMost(TIMEOUT);
    }

    /** Arguments that may be null (SQL NULL). */
    private static Tuple args(Object... values) {
        return Tuple.from(Arrays.asList(values));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
