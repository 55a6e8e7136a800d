package dev.drep.gateway.key;

import dev.drep.gateway.budget.BudgetPlan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The keys' policies ({@code gateway.api_key}, migration V3) and what they have spent ({@code gateway.budget_usage},
 * scope {@code key:<id>}). Plain SQL on the reactive pool, as the budgets: the lookup runs on every keyed request.
 */
@ApplicationScoped
public class KeyStore {

    private static final String COLUMNS = "token_id, name, repository, models, tokens_per_day, tokens_per_month, "
            + "cost_per_day, cost_per_month, requests_per_minute, tokens_per_minute, expires_at, created_at, "
            + "created_by, revoked_at, revoked_by";

    private final Pool pool;

    /** @param pool the gateway's database */
    public KeyStore(Pool pool) {
        this.pool = pool;
    }

    /** Stores a new key's policy. */
    Uni<Void> insert(KeyPolicy p) {
        return pool.preparedQuery("INSERT INTO gateway.api_key (" + COLUMNS + ") VALUES "
                        + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
                .execute(Tuple.tuple(Arrays.asList(UUID.fromString(p.id()), p.name(), p.repository(),
                        p.models() == null ? null : p.models().toArray(String[]::new), p.tokensPerDay(),
                        p.tokensPerMonth(), numeric(p.costPerDay()), numeric(p.costPerMonth()), p.requestsPerMinute(),
                        p.tokensPerMinute(), utc(p.expiresAt()), utc(p.createdAt()), p.createdBy(), null, null)))
                .replaceWithVoid();
    }

    /** @return the policy of the token with this id, deleted or not, or empty when the token is not a key */
    public Uni<Optional<KeyPolicy>> find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Optional.empty());
        }
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM gateway.api_key WHERE token_id = $1")
                .execute(Tuple.of(uuid))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(policy(rows.iterator().next())));
    }

    /** @return the keys not deleted, of one repository if given, newest first */
    Uni<List<KeyPolicy>> live(String repository) {
        String sql = "SELECT " + COLUMNS + " FROM gateway.api_key WHERE revoked_at IS NULL"
                + (repository == null ? "" : " AND lower(repository) = lower($1)") + " ORDER BY created_at DESC, token_id";
        return (repository == null ? pool.query(sql).execute() : pool.preparedQuery(sql).execute(Tuple.of(repository)))
                .map(rows -> {
                    List<KeyPolicy> policies = new ArrayList<>();
                    rows.forEach(row -> policies.add(policy(row)));
                    return policies;
                });
    }

    /** @return the key after marking it deleted (deleting twice keeps the first time), or empty when unknown */
    Uni<Optional<KeyPolicy>> end(String id, String by) {
        return pool.preparedQuery("UPDATE gateway.api_key SET revoked_at = COALESCE(revoked_at, now()), "
                        + "revoked_by = COALESCE(revoked_by, $2) WHERE token_id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(UUID.fromString(id), by))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(policy(rows.iterator().next())));
    }

    /**
     * @param ids keys
     * @param now the current time
     * @return what each key has spent this UTC day and month (reservations in flight included), by id
     */
    Uni<Map<String, KeyView.Spent>> spent(List<String> ids, Instant now) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        String[] scopes = ids.stream().map(id -> BudgetPlan.KEY_SCOPE_PREFIX + id).toArray(String[]::new);
        return pool.preparedQuery("SELECT scope, period, tokens, cost_usd FROM gateway.budget_usage "
                        + "WHERE scope = ANY($1) AND ((period = 'day' AND period_start = $2) "
                        + "OR (period = 'month' AND period_start = $3))")
                .execute(Tuple.of(scopes, today, today.withDayOfMonth(1)))
                .map(rows -> {
                    Map<String, KeyView.Amount[]> amounts = new HashMap<>();
                    rows.forEach(row -> {
                        String id = row.getString("scope").substring(BudgetPlan.KEY_SCOPE_PREFIX.length());
                        KeyView.Amount[] pair = amounts.computeIfAbsent(id,
                                k -> new KeyView.Amount[] {KeyView.Amount.NONE, KeyView.Amount.NONE});
                        KeyView.Amount amount = new KeyView.Amount(row.getLong("tokens"),
                                row.getBigDecimal("cost_usd").stripTrailingZeros());
                        pair["day".equals(row.getString("period")) ? 0 : 1] = amount;
                    });
                    Map<String, KeyView.Spent> spent = new HashMap<>();
                    for (String id : ids) {
                        KeyView.Amount[] pair = amounts.getOrDefault(id,
                                new KeyView.Amount[] {KeyView.Amount.NONE, KeyView.Amount.NONE});
                        spent.put(id, new KeyView.Spent(pair[0], pair[1]));
                    }
                    return spent;
                });
    }

    private static KeyPolicy policy(Row row) {
        String[] models = row.getArrayOfStrings("models");
        return new KeyPolicy(row.getUUID("token_id").toString(), row.getString("name"), row.getString("repository"),
                models == null ? null : List.of(models), row.getLong("tokens_per_day"), row.getLong("tokens_per_month"),
                row.getBigDecimal("cost_per_day"), row.getBigDecimal("cost_per_month"),
                row.getInteger("requests_per_minute"), row.getLong("tokens_per_minute"),
                instant(row.getOffsetDateTime("expires_at")), instant(row.getOffsetDateTime("created_at")),
                row.getString("created_by"), instant(row.getOffsetDateTime("revoked_at")), row.getString("revoked_by"));
    }

    private static Numeric numeric(BigDecimal value) {
        return value == null ? null : Numeric.create(value);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
