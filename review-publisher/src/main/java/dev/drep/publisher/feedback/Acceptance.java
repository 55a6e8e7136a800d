package dev.drep.publisher.feedback;

import dev.drep.contracts.FindingAcceptance;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The acceptance of drep's inline findings per rule and model, read from what the publisher records anyway: the
 * posting ledger ({@code posted_finding}: posted, and resolved when a later push fixed the finding), the justified and
 * 👎'd findings ({@code justified_finding}) and the 👍'd ones ({@code accepted_finding}). A finding counts once: rejected
 * when someone justified it or gave it a 👎, even if its code changed later (a person said it was wrong; a later edit of
 * its lines may be about something else); otherwise accepted when it was fixed or got a 👍. Blocking, one statement.
 */
@ApplicationScoped
public class Acceptance {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String QUERY = """
            SELECT COALESCE(p.rule, j.rule, 'unknown') AS rule, COALESCE(p.model, 'none') AS model,
                   count(*) AS posted,
                   count(*) FILTER (WHERE j.fingerprint IS NULL
                                    AND (p.state = 'RESOLVED' OR a.fingerprint IS NOT NULL)) AS accepted,
                   count(*) FILTER (WHERE j.fingerprint IS NOT NULL) AS rejected
              FROM publisher.posted_finding p
              LEFT JOIN publisher.justified_finding j ON j.scope_key = p.scope_key AND j.fingerprint = p.fingerprint
              LEFT JOIN publisher.accepted_finding a ON a.scope_key = p.scope_key AND a.fingerprint = p.fingerprint
             WHERE p.state IN ('POSTED', 'RESOLVING', 'RESOLVED')
               AND strpos(p.scope_key, '|pr|') > 0
               AND ($1::text IS NULL OR starts_with(p.scope_key, $1::text || '|pr|'))
             GROUP BY 1, 2
             ORDER BY 1, 2""";

    private final Pool pool;

    public Acceptance(Pool pool) {
        this.pool = pool;
    }

    /**
     * @param repositoryKey {@code platform|api url|repository} ({@code ScopeKeys.repositoryKey}), or null for every
     *                      repository
     * @return the acceptance per rule and model of the findings drep commented on inline there
     */
    public FindingAcceptance of(String repositoryKey) {
        List<FindingAcceptance.Row> rows = new ArrayList<>();
        for (Row row : pool.preparedQuery(QUERY).execute(Tuple.of(repositoryKey)).await().atMost(TIMEOUT)) {
            rows.add(FindingAcceptance.Row.of(row.getString("rule"), row.getString("model"),
                    row.getLong("posted").intValue(), row.getLong("accepted").intValue(),
                    row.getLong("rejected").intValue()));
        }
        return new FindingAcceptance(rows);
    }
}
