package dev.drep.scanner.dashboard;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * LLM spend per repository and day, from the LLM use each job recorded when it finished (the publisher reports
 * it with the final status). One aggregate over the scanner's own job table: the gateway is not asked.
 */
@ApplicationScoped
public class SpendQuery {
    private static final String SQL = "SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, repository, "
            + "count(*), sum(llm_calls), sum(prompt_tokens), sum(completion_tokens), sum(llm_cost) "
            + "FROM {h-schema}job WHERE finished_at >= :since AND (llm_calls > 0 OR llm_cost > 0) "
            + "GROUP BY 1, 2 ORDER BY 1, 2";

    /** @return the spend of jobs that finished at or after {@code since}, by day and repository; needs a session */
    public Uni<List<DailySpend>> since(Instant since) {
        return Panache.getSession()
                .chain(session -> session.<Object[]>createNativeQuery(SQL, Object[].class)
                        .setParameter("since", since)
                        .getResultList())
                .map(rows -> rows.stream().map(SpendQuery::spend).toList());
    }

    private static DailySpend spend(Object[] row) {
        return new DailySpend(LocalDate.parse((String) row[0]), row[1] == null ? "" : (String) row[1],
                number(row[2]).longValue(), number(row[3]).longValue(), number(row[4]).longValue(),
                number(row[5]).longValue(), decimal(row[6]));
    }

    private static Number number(Object value) {
        return value == null ? 0 : (Number) value;
    }

    private static BigDecimal decimal(Object value) {
        if (value == null) {
            return BigDecimal.ZERO;
        }
        return value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString());
    }
}
