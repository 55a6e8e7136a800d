package dev.drep.gateway.ledger;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** One row of the usage ledger: what one validated request cost and how it went. */
@Entity
@Table(name = "usage_record")
public class UsageRecord extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "created_at")
    public Instant createdAt;
    public String repository;
    public String job;
    public String priority;
    @Column(name = "task_class")
    public String taskClass;
    /** The alias the client asked for. */
    @Column(name = "requested_alias")
    public String requestedAlias;
    /** The alias that answered (after task-class routing and fallback), or the first one tried when none did. */
    public String alias;
    public String provider;
    /** The provider's model name behind {@link #alias}. */
    public String model;
    @Column(name = "prompt_tokens")
    public int promptTokens;
    @Column(name = "completion_tokens")
    public int completionTokens;
    @Column(name = "total_tokens")
    public int totalTokens;
    @Column(name = "cost_usd")
    public BigDecimal costUsd;
    /** The provider reported no usage (or no readable answer): the tokens are the gateway's estimate. */
    @Column(name = "usage_estimated")
    public boolean usageEstimated;
    @Column(name = "cache_hit")
    public boolean cacheHit;
    @Column(name = "queue_wait_ms")
    public double queueWaitMs;
    @Column(name = "provider_ms")
    public double providerMs;
    @Column(name = "latency_ms")
    public double latencyMs;
    public int attempts;
    public String outcome;
    @Column(name = "http_status")
    public int httpStatus;
    /** The key the request was made with (its token's id), or {@code null}. */
    @Column(name = "key_id")
    public UUID keyId;
}
