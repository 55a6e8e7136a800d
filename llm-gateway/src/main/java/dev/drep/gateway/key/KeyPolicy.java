package dev.drep.gateway.key;

import dev.drep.gateway.budget.BudgetPlan;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the gateway holds about a key: the policy of one API token (issued by the scanner, scope {@code llm:use}),
 * keyed by the token's id. Unset limits mean no limit.
 *
 * @param id                the token's id
 * @param name              the key's (and its token's) name
 * @param repository        the one repository its token is restricted to, or {@code null}
 * @param models            the aliases it may use, or {@code null} for every alias
 * @param tokensPerDay      tokens per UTC day
 * @param tokensPerMonth    tokens per UTC month
 * @param costPerDay        USD per UTC day
 * @param costPerMonth      USD per UTC month
 * @param requestsPerMinute requests per minute
 * @param tokensPerMinute   tokens per minute (estimated before a call, corrected after it)
 * @param expiresAt         when its token expires, or {@code null}
 * @param createdAt         when it was created
 * @param createdBy         who created it
 * @param revokedAt         when it was deleted, or {@code null}
 * @param revokedBy         who deleted it, or {@code null}
 */
public record KeyPolicy(String id, String name, String repository, List<String> models, Long tokensPerDay,
        Long tokensPerMonth, BigDecimal costPerDay, BigDecimal costPerMonth, Integer requestsPerMinute,
        Long tokensPerMinute, Instant expiresAt, Instant createdAt, String createdBy, Instant revokedAt,
        String revokedBy) {

    /** @return whether the key may use {@code alias} */
    public boolean allows(String alias) {
        return models == null || models.contains(alias);
    }

    /** @return its budgets and windows, as the budget reservation counts them */
    public BudgetPlan.KeyAllowance allowance() {
        return new BudgetPlan.KeyAllowance(id, name, optional(tokensPerDay), optional(tokensPerMonth),
                Optional.ofNullable(costPerDay), Optional.ofNullable(costPerMonth),
                requestsPerMinute == null ? 0 : requestsPerMinute, tokensPerMinute == null ? 0 : tokensPerMinute);
    }

    private static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
