package dev.drep.gateway.budget;

import dev.drep.gateway.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Token and cost budgets, kept in {@code gateway.budget_usage} so they hold across restarts and
 * gateway replicas. Before a call the request's estimate is reserved in every budget period it
 * counts against, atomically (one transaction, the period rows locked): either every period has
 * room for the estimate and all are charged, or none is and the request is refused. After the call
 * the difference between estimate and actual usage is settled. So spending passes a budget only by
 * what calls in flight use beyond their estimates, and never when the client caps the answer with
 * {@code max_tokens}, since the estimate then covers the most the provider can use.
 *
 * <p>The SQL client is used directly rather than Hibernate: a reservation is a handful of
 * conditional counter updates that must run as one locked transaction, with no entity to map.
 */
@ApplicationScoped
public class BudgetService {

    private static final Logger LOG = Logger.getLogger(BudgetService.class);

    private final BudgetPlan plan;
    private final Pool pool;

    /**
     * @param config the gateway configuration ({@code drep.gateway.budgets.*})
     * @param pool   the reactive PostgreSQL pool
     */
    public BudgetService(GatewayConfig config, Pool pool) {
        this.plan = new BudgetPlan(config.budgets());
        this.pool = pool;
    }

    /** @return whether any budget is configured */
    public boolean enabled() {
        return !plan.isEmpty();
    }

    /**
     * Reserves a request's estimate in every budget period it counts against.
     *
     * @param repository the request's repository, or {@code null}
     * @param tokens     estimated tokens
     * @param cost       estimated cost in USD
     * @return the reservation; fails with {@link BudgetExhaustedException} when a budget has no room
     */
    public Uni<Reservation> reserve(String repository, long tokens, BigDecimal cost) {
        if (plan.isEmpty()) {
            return Uni.createFrom().item(Reservation.NONE);
        }
        List<BudgetPlan.Line> lines = plan.linesFor(repository, Instant.now());
        if (lines.isEmpty()) {
            return Uni.createFrom().item(Reservation.NONE);
        }
        return pool.withTransaction(connection -> reserve(connection, lines, tokens, cost))
                .replaceWith(() -> new Reservation(this, lines, tokens, cost));
    }

    private Uni<Void> reserve(SqlConnection connection, List<BudgetPlan.Line> lines, long tokens, BigDecimal cost) {
        Tuple keys = keys(lines);
        String keyList = keyList(lines, 1);
        // Sorted inserts and locks: concurrent reservations take the rows in the same order.
        String insert = "INSERT INTO gateway.budget_usage (scope, period, period_start) VALUES " + keyList
                + " ON CONFLICT DO NOTHING";
        String lock = "SELECT scope, period, tokens, cost_usd FROM gateway.budget_usage "
                + "WHERE (scope, period, period_start) IN (" + keyList + ") "
                + "ORDER BY scope, period, period_start FOR UPDATE";
        return connection.preparedQuery(insert).execute(keys)
                .chain(() -> connection.preparedQuery(lock).execute(keys))
                .chain(rows -> {
                    Map<String, Row> byKey = new HashMap<>();
                    rows.forEach(row -> byKey.put(row.getString("scope") + "|" + row.getString("period"), row));
                    for (BudgetPlan.Line line : lines) {
                        Row row = byKey.get(line.scope() + "|" + line.period().key());
                        long usedTokens = row == null ? 0 : row.getLong("tokens");
                        BigDecimal usedCost = row == null ? BigDecimal.ZERO : row.getBigDecimal("cost_usd");
                        if (line.tokenLimit().isPresent() && usedTokens + tokens > line.tokenLimit().getAsLong()) {
                            return Uni.createFrom().failure(new BudgetExhaustedException(line,
                                    BudgetExhaustedException.Kind.TOKENS,
                                    BigDecimal.valueOf(line.tokenLimit().getAsLong()), BigDecimal.valueOf(usedTokens),
                                    BigDecimal.valueOf(tokens)));
                        }
                        if (line.costLimit().isPresent() && usedCost.add(cost).compareTo(line.costLimit().get()) > 0) {
                            return Uni.createFrom().failure(new BudgetExhaustedException(line,
                                    BudgetExhaustedException.Kind.COST, line.costLimit().get(), usedCost, cost));
                        }
                    }
                    return add(connection, lines, tokens, cost);
                });
    }

    /**
     * Charges (or, with negative amounts, credits) every period of a reservation.
     */
    private static Uni<Void> add(SqlConnection connection, List<BudgetPlan.Line> lines, long tokens,
            BigDecimal cost) {
        return connection.preparedQuery(updateSql(lines)).execute(updateArgs(lines, tokens, cost)).replaceWithVoid();
    }

    private static String updateSql(List<BudgetPlan.Line> lines) {
        return "UPDATE gateway.budget_usage SET tokens = tokens + $1, cost_usd = cost_usd + $2, updated_at = now() "
                + "WHERE (scope, period, period_start) IN (" + keyList(lines, 3) + ")";
    }

    private static Tuple updateArgs(List<BudgetPlan.Line> lines, long tokens, BigDecimal cost) {
        Tuple args = Tuple.tuple().addLong(tokens).addValue(Numeric.create(cost));
        for (BudgetPlan.Line line : lines) {
            args.addString(line.scope()).addString(line.period().key()).addLocalDate(line.periodStart());
        }
        return args;
    }

    private static Tuple keys(List<BudgetPlan.Line> lines) {
        Tuple keys = Tuple.tuple();
        for (BudgetPlan.Line line : lines.stream()
                .sorted((a, b) -> (a.scope() + a.period().key()).compareTo(b.scope() + b.period().key())).toList()) {
            keys.addString(line.scope()).addString(line.period().key()).addLocalDate(line.periodStart());
        }
        return keys;
    }

    private static String keyList(List<BudgetPlan.Line> lines, int firstParameter) {
        List<String> tuples = new ArrayList<>(lines.size());
        int p = firstParameter;
        for (int i = 0; i < lines.size(); i++) {
            tuples.add("($" + p + ", $" + (p + 1) + ", $" + (p + 2) + ")");
            p += 3;
        }
        return String.join(", ", tuples);
    }

    private Uni<Void> settle(List<BudgetPlan.Line> lines, long tokens, BigDecimal cost) {
        return pool.preparedQuery(updateSql(lines)).execute(updateArgs(lines, tokens, cost)).replaceWithVoid()
                .onFailure().invoke(e -> LOG.errorf("Could not settle a budget reservation (%s): %s",
                        e.getClass().getSimpleName(), e.getMessage()));
    }

    /**
     * An estimate held in one or more budget periods until the call's actual usage is known.
     * Settle it exactly once.
     */
    public static final class Reservation {

        /** A reservation that holds nothing (no budget applies). */
        public static final Reservation NONE = new Reservation(null, List.of(), 0, BigDecimal.ZERO);

        private final BudgetService service;
        private final List<BudgetPlan.Line> lines;
        private final long tokens;
        private final BigDecimal cost;

        private Reservation(BudgetService service, List<BudgetPlan.Line> lines, long tokens, BigDecimal cost) {
            this.service = service;
            this.lines = lines;
            this.tokens = tokens;
            this.cost = cost;
        }

        /**
         * Replaces the reserved estimate by what the request actually used.
         *
         * @param actualTokens tokens charged for the request (0 when it failed without using any)
         * @param actualCost   its cost in USD
         * @return completion of the update; it never fails (a failure is logged)
         */
        public Uni<Void> settle(long actualTokens, BigDecimal actualCost) {
            if (lines.isEmpty() || actualTokens == tokens && actualCost.compareTo(cost) == 0) {
                return Uni.createFrom().voidItem();
            }
            return service.settle(lines, actualTokens - tokens, actualCost.subtract(cost))
                    .onFailure().recoverWithNull();
        }
    }
}
