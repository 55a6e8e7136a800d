package dev.drep.analyzer.unit;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A work unit whose result was published: a redelivery of it is acknowledged without a second result. */
@Entity
@Table(name = "processed_unit")
public class ProcessedUnit extends PanacheEntityBase {
    @Id
    @Column(name = "unit_id")
    public String unitId;
    @Column(name = "job_id")
    public String jobId;
    @Column(name = "processed_at")
    public Instant processedAt;
}
