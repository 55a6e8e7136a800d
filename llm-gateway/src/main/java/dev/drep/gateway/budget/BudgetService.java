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
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import io.vertx.pgclient.data.Interval;
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
 * <p>A key's budgets are periods like the others (scope {@code key:<id>}), and its request and token windows per
 * minute ({@code gateway.key_rate}) are charged in the same transaction, so a key's whole allowance is reserved in
 * one step and corrected in one settlement.
 *
 * <p>The SQL client is used directly rather than Hibernate: a reservation is a handful of
 * conditional counter updates that must run as one locked transaction, with no entity to map.
 */
@ApplicationScoped
public class BudgetService {

    private static final Logger LOG = Logger.getLogger(BudgetService.class);

    private static final String KEY_RATE_TAKE = "SELECT verdict, charged_bucket, retry_after_ms, used "
            + "FROM gateway.key_rate_take($1, $2, $3, $4, $5, $6)";
    private static final String KEY_RATE_SETTLE = "UPDATE gateway.key_rate SET tokens = tokens + $3 "
            + "WHERE key_id = $1 AND bucket_start = $2";
    /** Buckets per rate window, as the shared admission's. */
    private static final int BUCKETS_PER_WINDOW = 60;

    private final BudgetPlan plan;
    private final Pool pool;
    private final Duration window;
    private final Interval windowInterval;
    private final Interval bucketInterval;

    /**
     * @param config the gateway configuration ({@code drep.gateway.budgets.*})
     * @param pool   the reactive PostgreSQL pool
     */
    public BudgetService(GatewayConfig config, Pool pool) {
        this.plan = new BudgetPlan(config.budgets());
        this.pool = pool;
        this.window = config.limits().window();
        this.windowInterval = interval(window);
        Duration bucket = window.dividedBy(BUCKETS_PER_WINDOW);
        this.bucketInterval = interval(bucket.toMillis() < 1 ? Duration.ofMillis(1) : bucket);
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
        return reserve(repository, null, tokens, cost);
    }

    /**
     * Reserves a request's estimate in every budget period it counts against, a key's among them, and charges the
     * key's request and token windows: all in one transaction, so either everything has room and is charged, or
     * nothing is.
     *
     * @param repository the request's repository, or {@code null}
     * @param key        the key the request was made with, or {@code null}
     * @param tokens     estimated tokens
     * @param cost       estimated cost in USD
     * @return the reservation; fails with {@link BudgetExhaustedException} when a budget has no room, with
     *         {@link KeyRateLimitedException} when the key's window is full
     */
    public Uni<Reservation> reserve(String repository, BudgetPlan.KeyAllowance key, long tokens, BigDecimal cost) {
        if (plan.isEmpty() && key == null) {
            return Uni.createFrom().item(Reservation.NONE);
        }
        List<BudgetPlan.Line> lines = plan.linesFor(repository, key, Instant.now());
        boolean rate = key != null && key.rateLimited();
        if (lines.isEmpty() && !rate) {
            return Uni.createFrom().item(Reservation.NONE);
        }
        return pool.withTransaction(connection -> (lines.isEmpty() ? Uni.createFrom().voidItem()
                        : reserve(connection, lines, tokens, cost))
                        .chain(() -> rate ? takeRate(connection, key, tokens) : Uni.createFrom().item((OffsetDateTime) null)))
                .map(bucket -> new Reservation(this, lines, tokens, cost, rate ? key : null, bucket));
    }

    /** Charges one request and its estimate to the key's windows, or fails when they are full. */
    private Uni<OffsetDateTime> takeRate(SqlConnection connection, BudgetPlan.KeyAllowance key, long tokens) {
        Tuple args = Tuple.tuple().addUUID(UUID.fromString(key.id())).addLong(tokens)
                .addInteger(key.requestsPerMinute()).addLong(key.tokensPerMinute())
                .addValue(windowInterval).addValue(bucketInterval);
        return connection.preparedQuery(KEY_RATE_TAKE).execute(args).map(rows -> {
            Row row = rows.iterator().next();
            String verdict = row.getString("verdict");
            if ("admitted".equals(verdict)) {
                return row.getOffsetDateTime("charged_bucket");
            }
            boolean requests = "requests".equals(verdict);
            throw new KeyRateLimitedException(key, requests ? KeyRateLimitedException.Kind.REQUESTS
                    : KeyRateLimitedException.Kind.TOKENS, requests ? key.requestsPerMinute() : key.tokensPerMinute(),
                    row.getLong("used"), tokens, window, Duration.ofMillis(row.getLong("retry_after_ms")));
        });
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
        if (lines.isEmpty() || tokens == 0 && cost.signum() == 0) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(updateSql(lines)).execute(updateArgs(lines, tokens, cost)).replaceWithVoid()
                .onFailure().invoke(e -> LOG.errorf("Could not settle a budget reservation (%s): %s",
                        e.getClass().getSimpleName(), e.getMessage()));
    }

    /** Corrects a key's token window with the difference between its estimate and what the request used. */
    private Uni<Void> settleRate(BudgetPlan.KeyAllowance key, OffsetDateTime bucket, long tokens) {
        if (key == null || bucket == null || tokens == 0) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(KEY_RATE_SETTLE).execute(Tuple.of(UUID.fromString(key.id()), bucket, tokens))
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.errorf("Could not correct the token window of key '%s' (%s): %s",
                        key.name(), e.getClass().getSimpleName(), e.getMessage()));
    }

    private static Interval interval(Duration duration) {
        long micros = Math.max(1, duration.toNanos() / 1_000);
        return Interval.of(0, 0, 0, 0, 0, (int) (micros / 1_000_000), (int) (micros % 1_000_000));
    }

    /**
     * An estimate held in one or more budget periods until the call's actual usage is known.
     * Settle it exactly once.
     */
    public static final class Reservation {

        /** A reservation that holds nothing (no budget applies). */
        public static final Reservation NONE = new Reservation(null, List.of(), 0, BigDecimal.ZERO, null, null);

        private final BudgetService service;
        private final List<BudgetPlan.Line> lines;
        private final long tokens;
        private final BigDecimal cost;
        /** The key whose windows were charged, or {@code null}. */
        private final BudgetPlan.KeyAllowance key;
        private final OffsetDateTime bucket;

        private Reservation(BudgetService service, List<BudgetPlan.Line> lines, long tokens, BigDecimal cost,
                BudgetPlan.KeyAllowance key, OffsetDateTime bucket) {
            this.service = service;
            this.lines = lines;
            this.tokens = tokens;
            this.cost = cost;
            this.key = key;
            this.bucket = bucket;
        }

        /**
         * Replaces the reserved estimate by what the request actually used.
         *
         * @param actualTokens tokens charged for the request (0 when it failed without using any)
         * @param actualCost   its cost in USD
         * @return completion of the update; it never fails (a failure is logged)
         */
        public Uni<Void> settle(long actualTokens, BigDecimal actualCost) {
            if (service == null || actualTokens == tokens && actualCost.compareTo(cost) == 0) {
                return Uni.createFrom().voidItem();
            }
            return service.settle(lines, actualTokens - tokens, actualCost.subtract(cost))
                    .onFailure().recoverWithNull()
                    .chain(() -> service.settleRate(key, bucket, actualTokens - tokens).onFailure().recoverWithNull());
        }
    }
}
