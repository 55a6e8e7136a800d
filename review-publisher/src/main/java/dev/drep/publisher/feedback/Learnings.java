package dev.drep.publisher.feedback;

import dev.drep.contracts.RepositoryLearnings;
import dev.drep.contracts.RepositoryLearnings.Learning;
import dev.drep.contracts.RepositoryLearnings.MessageTally;
import dev.drep.contracts.RepositoryLearnings.RuleTally;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A repository's learnings: the feedback recorded on drep's findings in its pull requests (justified findings and 👎
 * reactions, {@code publisher.justified_finding}), counted per rule. A rule whose findings were rejected
 * {@link LearningsConfig#suppressAfter} times is suppressed in that repository: its findings are listed in the summary,
 * not commented on inline. So is a recurring message (its {@code MessageKeys} key), whatever its rule. Blocking, one statement per call.
 */
@ApplicationScoped
public class Learnings {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final LearningsConfig config;

    public Learnings(Pool pool, LearningsConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** @return the repository's learnings and their tally per rule */
    public RepositoryLearnings of(String repositoryKey) {
        List<Learning> learnings = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT CAST(id AS text) AS id, rule, fingerprint, pr_number, author, reason,"
                + " recorded_at, kind FROM publisher.justified_finding WHERE repository_key = $1"
                + " ORDER BY recorded_at DESC, id").execute(Tuple.of(repositoryKey)).await().atMost(TIMEOUT)) {
            learnings.add(new Learning(row.getString("id"), row.getString("rule"), row.getString("fingerprint"),
                    row.getString("kind"), row.getInteger("pr_number"), row.getString("author"), row.getString("reason"),
                    row.getOffsetDateTime("recorded_at").toInstant().toString()));
        }
        Map<String, Integer> rejected = rejectedByRule(repositoryKey);
        List<RuleTally> rules = rejected.entrySet().stream()
                .map(e -> new RuleTally(e.getKey(), e.getValue(), suppressed(e.getValue()))).toList();
        List<MessageTally> messages = rejectedByMessage(repositoryKey).entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(e -> new MessageTally(e.getKey(), e.getValue(), suppressed(e.getValue()))).toList();
        return new RepositoryLearnings(learnings, rules, config.suppressAfter(), messages);
    }

    /** @return the message keys ({@code MessageKeys}) suppressed in the repository, with how often each was rejected */
    public Map<String, Integer> suppressedMessages(String repositoryKey) {
        Map<String, Integer> suppressed = new LinkedHashMap<>();
        rejectedByMessage(repositoryKey).forEach((message, count) -> {
            if (suppressed(count)) {
                suppressed.put(message, count);
            }
        });
        return suppressed;
    }

    /**
     * Rejected findings per message key: the rejections joined to the posted findings they reject, which carry the key
     * (comments posted before keys were recorded have none and are not counted here).
     */
    private Map<String, Integer> rejectedByMessage(String repositoryKey) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Row row : pool.preparedQuery("SELECT p.message_key, count(DISTINCT j.fingerprint) AS rejected"
                + " FROM publisher.justified_finding j JOIN publisher.posted_finding p"
                + " ON p.scope_key = j.scope_key AND p.fingerprint = j.fingerprint"
                + " WHERE j.repository_key = $1 AND p.message_key IS NOT NULL"
                + " GROUP BY p.message_key ORDER BY rejected DESC, p.message_key")
                .execute(Tuple.of(repositoryKey)).await().atMost(TIMEOUT)) {
            counts.put(row.getString("message_key"), row.getLong("rejected").intValue());
        }
        return counts;
    }

    /** @return the rules suppressed in the repository, with how often each was rejected */
    public Map<String, Integer> suppressedRules(String repositoryKey) {
        Map<String, Integer> suppressed = new LinkedHashMap<>();
        rejectedByRule(repositoryKey).forEach((rule, count) -> {
            if (suppressed(count)) {
                suppressed.put(rule, count);
            }
        });
        return suppressed;
    }

    /** @return whether the learning existed in the repository (and is now forgotten) */
    public boolean forget(String repositoryKey, UUID id) {
        return pool.preparedQuery("DELETE FROM publisher.justified_finding WHERE repository_key = $1 AND id = $2")
                .execute(Tuple.of(repositoryKey, id)).await().atMost(TIMEOUT).rowCount() == 1;
    }

    private boolean suppressed(int rejected) {
        return config.suppress() && rejected >= config.suppressAfter();
    }

    /** Findings are counted once each, however many pull requests justified them. */
    private Map<String, Integer> rejectedByRule(String repositoryKey) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Row row : pool.preparedQuery("SELECT rule, count(DISTINCT fingerprint) AS rejected"
                + " FROM publisher.justified_finding WHERE repository_key = $1 AND rule IS NOT NULL"
                + " GROUP BY rule ORDER BY rejected DESC, rule").execute(Tuple.of(repositoryKey)).await().atMost(TIMEOUT)) {
            counts.put(row.getString("rule"), row.getLong("rejected").intValue());
        }
        return counts;
    }
}
