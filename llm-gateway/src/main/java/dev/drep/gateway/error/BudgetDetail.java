package dev.drep.gateway.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Which budget refused a request, in the {@code budget_exhausted} error body.
 *
 * @param scope      {@code global}, {@code repository} or {@code key}
 * @param repository the repository, for a repository budget
 * @param keyId      the key's id, for a key's budget
 * @param keyName    the key's name, for a key's budget
 * @param period     {@code day} or {@code month} (UTC)
 * @param kind       {@code tokens} or {@code cost} (USD)
 * @param limit      the budget
 * @param used       what the period has spent, estimates of calls in flight included
 * @param requested  this request's estimate
 * @param resetsAt   when the next period starts
 */
public record BudgetDetail(String scope, @JsonInclude(JsonInclude.Include.NON_NULL) String repository,
        @JsonProperty("key_id") @JsonInclude(JsonInclude.Include.NON_NULL) String keyId,
        @JsonProperty("key_name") @JsonInclude(JsonInclude.Include.NON_NULL) String keyName, String period, String kind, BigDecimal limit, BigDecimal used, BigDecimal requested,
        @JsonProperty("resets_at") Instant resetsAt) {
}
