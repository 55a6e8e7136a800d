package dev.drep.gateway.budget;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A budget has no room for a request's estimate. The request is not sent; the client gets
 * HTTP 402 {@code budget_exhausted} naming the budget and when it resets.
 */
public final class BudgetExhaustedException extends RuntimeException {

    /** Which limit of a budget period ran out. */
    public enum Kind {
        /** The token budget. */
        TOKENS,
        /** The cost budget. */
        COST
    }

    private final BudgetPlan.Line line;
    private final Kind kind;
    private final BigDecimal limit;
    private final BigDecimal used;
    private final BigDecimal requested;

    /**
     * @param line      the budget period
     * @param kind      tokens or cost
     * @param limit     the budget
     * @param used      what the period has spent (estimates of calls in flight included)
     * @param requested what this request would have needed (its estimate)
     */
    public BudgetExhaustedException(BudgetPlan.Line line, Kind kind, BigDecimal limit, BigDecimal used,
            BigDecimal requested) {
        super("budget exhausted: " + line.scope() + " " + line.period().key() + " " + kind, null, false, false);
        this.line = line;
        this.kind = kind;
        this.limit = limit;
        this.used = used;
        this.requested = requested;
    }

    /** @return the budget period */
    public BudgetPlan.Line line() {
        return line;
    }

    /** @return tokens or cost */
    public Kind kind() {
        return kind;
    }

    /** @return the budget */
    public BigDecimal limit() {
        return limit;
    }

    /** @return what the period has spent */
    public BigDecimal used() {
        return used;
    }

    /** @return the request's estimate */
    public BigDecimal requested() {
        return requested;
    }

    /** @return when the budget period ends */
    public Instant resetsAt() {
        return line.resetsAt();
    }
}
