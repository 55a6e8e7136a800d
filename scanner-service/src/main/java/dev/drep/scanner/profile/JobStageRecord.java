package dev.drep.scanner.profile;

import dev.drep.contracts.Stage;
import dev.drep.contracts.StageSpan;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One stage span of a job, as the scanner keeps it for the job's profile. */
@Entity
@Table(name = "job_stage")
public class JobStageRecord extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "job_id")
    public UUID jobId;
    @Enumerated(EnumType.STRING)
    public Stage stage;
    public String source;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "ended_at")
    public Instant endedAt;

    /** @return a row for {@code span} of job {@code jobId} */
    public static JobStageRecord of(UUID jobId, StageSpan span) {
        JobStageRecord record = new JobStageRecord();
        record.jobId = jobId;
        record.stage = span.stage();
        String source = span.source() == null ? "" : span.source();
        record.source = source.length() > 200 ? source.substring(0, 200) : source;
        record.startedAt = span.start();
        record.endedAt = span.end();
        return record;
    }

    /** @return the span this row holds */
    public StageSpan span() {
        return new StageSpan(stage, source, startedAt, endedAt);
    }
}
