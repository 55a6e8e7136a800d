package dev.drep.publisher.feedback;

import dev.drep.contracts.PullRequestRef;
import dev.drep.publisher.posting.ScopeKeys;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The findings justified on each pull request ({@code publisher.justified_finding}). Each call is its own statement
 * (no transaction held); methods block, as {@link dev.drep.publisher.posting.PostingLedger}'s do.
 */
@ApplicationScoped
public class JustifiedFindings {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * A justified finding.
     *
     * @param fingerprint the finding's fingerprint
     * @param rule        its rule, as drep's comment names it, or null
     * @param author      who justified it
     * @param reason      what they wrote (data: never posted as markdown)
     * @param kind        {@code justified} (a reply explained why the code is right) or {@code reaction} (a 👎)
     */
    public record Justified(String fingerprint, String rule, String author, String reason, String kind) {
        /** A justification by a reply. */
        public Justified(String fingerprint, String rule, String author, String reason) {
            this(fingerprint, rule, author, reason, "justified");
        }

        /** @return true for a 👎 rather than a reply */
        public boolean reaction() {
            return "reaction".equals(kind);
        }
    }

    private final Pool pool;

    public JustifiedFindings(Pool pool) {
        this.pool = pool;
    }

    /** @return the pull request's justified findings by fingerprint */
    public Map<String, Justified> of(String scopeKey) {
        Map<String, Justified> justified = new HashMap<>();
        for (Row row : pool.preparedQuery("SELECT fingerprint, rule, author, reason, kind FROM publisher.justified_finding"
                + " WHERE scope_key = $1").execute(Tuple.of(scopeKey)).await().atMost(TIMEOUT)) {
            justified.put(row.getString("fingerprint"), new Justified(row.getString("fingerprint"),
                    row.getString("rule"), row.getString("author"), row.getString("reason"), row.getString("kind")));
        }
        return justified;
    }

    /** @return whether this recorded it (false: it was justified before) */
    public boolean record(PullRequestRef ref, Justified justified, String replyKey) {
        return record(ref, justified, replyKey, "justified");
    }

    /**
     * Records a rejection of kind {@code justified} (a reply) or {@code reaction} (a 👎).
     *
     * @return whether this recorded it (false: the finding was rejected on this pull request before)
     */
    public boolean record(PullRequestRef ref, Justified justified, String replyKey, String kind) {
        return pool.preparedQuery("INSERT INTO publisher.justified_finding (id, repository_key, scope_key, pr_number,"
                        + " fingerprint, rule, author, reason, reply_key, recorded_at, kind)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING")
                .execute(Tuple.from(Arrays.asList(UUID.randomUUID(), ScopeKeys.repositoryKey(ref),
                        ScopeKeys.pullRequest(ref), ref.number(), justified.fingerprint(), justified.rule(),
                        justified.author(), justified.reason(), replyKey, OffsetDateTime.now(ZoneOffset.UTC), kind)))
                .await().atMost(TIMEOUT).rowCount() == 1;
    }

    /** @return whether this recorded the finding as accepted by a 👍 (false: it was before) */
    public boolean accept(String scopeKey, String fingerprint, String author) {
        return pool.preparedQuery("INSERT INTO publisher.accepted_finding (scope_key, fingerprint, author, recorded_at)"
                        + " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(scopeKey, fingerprint, author, OffsetDateTime.now(ZoneOffset.UTC)))
                .await().atMost(TIMEOUT).rowCount() == 1;
    }
}
