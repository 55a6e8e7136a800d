package dev.drep.gateway.budget;

import dev.drep.gateway.GatewayConfig;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which budgets a request counts against: the global ones and its repository's, each per UTC day
 * and per UTC month, as configured. Quarkus-free so the period arithmetic is unit-tested.
 */
public final class BudgetPlan {

    /** Scope key of the budgets of all traffic. */
    public static final String GLOBAL_SCOPE = "global";
    /** Prefix of a repository's scope key. */
    public static final String REPOSITORY_SCOPE_PREFIX = "repository:";
    /** Prefix of a key's scope key: {@code key:<token id>}. */
    public static final String KEY_SCOPE_PREFIX = "key:";
    /** The repository bucket of requests that name none. */
    public static final String NO_REPOSITORY = "(none)";

    /** A budget period. */
    public enum Period {
        /** A UTC calendar day. */
        DAY,
        /** A UTC calendar month. */
        MONTH;

        /** @return {@code day} or {@code month} */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        LocalDate start(LocalDate today) {
            return this == DAY ? today : today.withDayOfMonth(1);
        }

        LocalDate next(LocalDate start) {
            return this == DAY ? start.plusDays(1) : start.plusMonths(1);
        }
    }

    /**
     * One budget period a request counts against.
     *
     * @param scope       {@value #GLOBAL_SCOPE}, {@code repository:<name>} or {@code key:<token id>}
     * @param repository  the repository, for a repository's budget; otherwise {@code null}
     * @param period      day or month
     * @param periodStart first day of the period
     * @param resetsAt    when the next period starts
     * @param tokenLimit  the token budget, if one is set
     * @param costLimit   the cost budget in USD, if one is set
     * @param key         the key, for a key's budget; otherwise {@code null}
     */
    public record Line(String scope, String repository, Period period, LocalDate periodStart, Instant resetsAt,
            OptionalLong tokenLimit, Optional<BigDecimal> costLimit, KeyAllowance key) {
    }

    /**
     * What a key (an API token with a gateway policy) may spend: its own budgets, counted besides the global and the
     * repository's, and its request and token windows per minute.
     *
     * @param id                the token's id
     * @param name              the key's name
     * @param tokensPerDay      tokens per UTC day, if limited
     * @param tokensPerMonth    tokens per UTC month, if limited
     * @param costPerDay        USD per UTC day, if limited
     * @param costPerMonth      USD per UTC month, if limited
     * @param requestsPerMinute requests per rate window (a minute), 0 for no limit
     * @param tokensPerMinute   tokens per rate window, 0 for no limit
     */
    public record KeyAllowance(String id, String name, OptionalLong tokensPerDay, OptionalLong tokensPerMonth,
            Optional<BigDecimal> costPerDay, Optional<BigDecimal> costPerMonth, int requestsPerMinute,
            long tokensPerMinute) {

        /** @return whether the key has a request or token window */
        public boolean rateLimited() {
            return requestsPerMinute > 0 || tokensPerMinute > 0;
        }

        /** @return the scope key of its budgets */
        public String scope() {
            return KEY_SCOPE_PREFIX + id;
        }
    }

    private final GatewayConfig.Budgets config;

    /**
     * @param config {@code drep.gateway.budgets}
     */
    public BudgetPlan(GatewayConfig.Budgets config) {
        this.config = config;
    }

    /** @return whether any budget is configured at all (if not, the database is never asked) */
    public boolean isEmpty() {
        return !any(config.global()) && !any(config.perRepository())
                && config.repositories().values().stream().noneMatch(BudgetPlan::any);
    }

    private static boolean any(GatewayConfig.BudgetLimits limits) {
        return limits.tokensPerDay().isPresent() || limits.tokensPerMonth().isPresent()
                || limits.costPerDay().isPresent() || limits.costPerMonth().isPresent();
    }

    /**
     * @param repository the request's repository, or {@code null}
     * @param now        the current time
     * @return the budget periods with at least one limit, global before repository, day before month
     */
    public List<Line> linesFor(String repository, Instant now) {
        return linesFor(repository, null, now);
    }

    /**
     * @param repository the request's repository, or {@code null}
     * @param key        the key the request was made with, or {@code null}
     * @param now        the current time
     * @return the budget periods with at least one limit: global, repository, key; day before month
     */
    public List<Line> linesFor(String repository, KeyAllowance key, Instant now) {
        String name = repository == null || repository.isBlank() ? NO_REPOSITORY : repository;
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<Line> lines = new ArrayList<>(6);
        GatewayConfig.BudgetLimits global = config.global();
        add(lines, GLOBAL_SCOPE, null, null, Period.DAY, today, global.tokensPerDay(), global.costPerDay());
        add(lines, GLOBAL_SCOPE, null, null, Period.MONTH, today, global.tokensPerMonth(), global.costPerMonth());
        GatewayConfig.BudgetLimits defaults = config.perRepository();
        GatewayConfig.BudgetLimits own = repositoryOverride(name);
        String scope = REPOSITORY_SCOPE_PREFIX + name;
        add(lines, scope, name, null, Period.DAY, today,
                first(own == null ? OptionalLong.empty() : own.tokensPerDay(), defaults.tokensPerDay()),
                first(own == null ? Optional.empty() : own.costPerDay(), defaults.costPerDay()));
        add(lines, scope, name, null, Period.MONTH, today,
                first(own == null ? OptionalLong.empty() : own.tokensPerMonth(), defaults.tokensPerMonth()),
                first(own == null ? Optional.empty() : own.costPerMonth(), defaults.costPerMonth()));
        if (key != null) {
            add(lines, key.scope(), null, key, Period.DAY, today, key.tokensPerDay(), key.costPerDay());
            add(lines, key.scope(), null, key, Period.MONTH, today, key.tokensPerMonth(), key.costPerMonth());
        }
        return lines;
    }

    private GatewayConfig.BudgetLimits repositoryOverride(String name) {
        return config.repositories().get(name);
    }

    private static void add(List<Line> lines, String scope, String repository, KeyAllowance key, Period period,
            LocalDate today, OptionalLong tokens, Optional<BigDecimal> cost) {
        if (tokens.isEmpty() && cost.isEmpty()) {
            return;
        }
        LocalDate start = period.start(today);
        Instant resets = period.next(start).atStartOfDay(ZoneOffset.UTC).toInstant();
        lines.add(new Line(scope, repository, period, start, resets, tokens, cost, key));
    }

    private static OptionalLong first(OptionalLong own, OptionalLong fallback) {
        return own.isPresent() ? own : fallback;
    }

    private static <T> Optional<T> first(Optional<T> own, Optional<T> fallback) {
        return own.isPresent() ? own : fallback;
    }
}
