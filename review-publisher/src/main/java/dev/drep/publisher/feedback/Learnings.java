package dev.drep.publisher.feedback;

import dev.drep.contracts.RepositoryLearnings;
import dev.drep.contracts.RepositoryLearnings.Learning;
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
 * A repository's learnings: the feedback recorded on drep's findings in its pull requests (today the justified
 * findings, {@code publisher.justified_finding}), counted per rule. A rule whose findings were rejected
 * {@link LearningsConfig#suppressAfter} times is suppressed in that repository: its findings are listed in the summary,
 * not commented on inline. Blocking, one statement per call.
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
                + " recorded_at FROM publisher.justified_finding WHERE repository_key = $1"
                + " ORDER BY recorded_at DESC, id").execute(Tuple.of(repositoryKey)).await().atMost(TIMEOUT)) {
            learnings.add(new Learning(row.getString("id"), row.getString("rule"), row.getString("fingerprint"),
                    "justified", row.getInteger("pr_number"), row.getString("author"), row.getString("reason"),
                    row.getOffsetDateTime("recorded_at").toInstant().toString()));
        }
        Map<String, Integer> rejected = rejectedByRule(repositoryKey);
        List<RuleTally> rules = rejected.entrySet().stream()
                .map(e -> new RuleTally(e.getKey(), e.getValue(), suppressed(e.getValue()))).toList();
        return new RepositoryLearnings(learnings, rules, config.suppressAfter());
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
