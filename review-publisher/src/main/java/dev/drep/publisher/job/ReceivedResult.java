package dev.drep.publisher.job;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One unit's result, kept once per unit id however often it is delivered. */
@Entity
@Table(name = "received_result")
public class ReceivedResult extends PanacheEntityBase {
    @Id
    @Column(name = "unit_id")
    public String unitId;
    @Column(name = "job_id")
    public String jobId;
    /** the {@code UnitResult}, as JSON */
    public String payload;
    @Column(name = "received_at")
    public Instant receivedAt;
    /** JSON list of the publisher's stage spans for this result: its transit from the analyzer, storing it */
    public String stages;
}
