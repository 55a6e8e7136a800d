package dev.drep.gateway.key;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;
import java.util.List;

/**
 * Body of {@code POST /api/keys}. Every limit is optional (absent: no limit of the key's own; the global and
 * repository budgets and limits still apply).
 *
 * @param name              what the key is for (required), e.g. {@code team-payments}
 * @param repository        restricts the key to one repository, {@code owner/name}; its calls are accounted there
 * @param models            the model aliases it may use; absent: every alias
 * @param tokensPerDay      tokens per UTC day
 * @param tokensPerMonth    tokens per UTC month
 * @param costPerDay        USD per UTC day (by the gateway's price table)
 * @param costPerMonth      USD per UTC month
 * @param requestsPerMinute requests per minute
 * @param tokensPerMinute   tokens per minute
 * @param expiresIn         lifetime of its token ({@code 90d}, {@code P90D}); absent: no expiry
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeyRequest(String name, String repository, List<String> models, Long tokensPerDay, Long tokensPerMonth,
        BigDecimal costPerDay, BigDecimal costPerMonth, Integer requestsPerMinute, Long tokensPerMinute,
        String expiresIn) {
}
