package dev.drep.publisher.job;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A job the publisher gathers results for. Its composed review is stored here before it is posted
 * (the outbox), so a publisher that dies half-way posts it on restart instead of losing it.
 */
@Entity
@Table(name = "tracked_job")
public class TrackedJob extends PanacheEntityBase {

    /** Where the job is in the publisher. */
    public enum Stage {
        /** waiting for unit results */
        GATHERING,
        /** the review is composed and stored; posting it is under way */
        PUBLISHING,
        /** posted */
        PUBLISHED,
        /** could not be posted */
        FAILED
    }

    @Id
    @Column(name = "job_id")
    public String jobId;
    /** the scanner's {@code JobPlan}, as JSON */
    public String plan;
    @Column(name = "units_total")
    public int unitsTotal;
    @Enumerated(EnumType.STRING)
    public Stage stage;
    /** the composed {@code Review}, as JSON, once every unit is in */
    public String review;
    public String outputs;
    public String message;
    /** true once the scanner was sent the job's final event */
    public boolean notified;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "published_at")
    public Instant publishedAt;
    /** how often posting was deferred because the platform was unavailable or rate limited */
    public int attempts;
    /** while PUBLISHING after a deferral: when the scheduled retry posts it again */
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;
    /** when the review began to be composed: the start of the job's publishing stage */
    @Column(name = "publishing_started_at")
    public Instant publishingStartedAt;
    /** where the review is posted ({@link ReviewTargets#scopeKey}), null for local reviews */
    @Column(name = "scope_key")
    public String scopeKey;
    /** the head commit reviewed */
    @Column(name = "head_sha")
    public String headSha;
    /**
     * while PUBLISHING: the replica posting the review; once PUBLISHED or FAILED and until its final event is recorded
     * as sent: the replica sending that event ({@link PublicationClaims}); otherwise null
     */
    @Column(name = "claimed_by")
    public String claimedBy;
    /** until when that replica's claim holds unless it renews it */
    @Column(name = "claim_expires_at")
    public Instant claimExpiresAt;
}
