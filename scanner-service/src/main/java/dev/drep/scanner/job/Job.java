package dev.drep.scanner.job;

import dev.drep.contracts.JobStatus;
import dev.drep.contracts.JobView;
import dev.drep.contracts.Severity;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A review job, owned by the scanner from request to final status. */
@Entity
@Table(name = "job")
public class Job extends PanacheEntityBase {
    @Id
    public UUID id;
    @Enumerated(EnumType.STRING)
    public JobStatus status;
    public String repository;
    @Column(name = "base_rev")
    public String baseRevision;
    @Column(name = "head_rev")
    public String headRevision;
    @Column(name = "base_commit")
    public String baseCommit;
    @Column(name = "head_commit")
    public String headCommit;
    @Column(name = "output_dir")
    public String outputDir;
    @Column(name = "units_total")
    public int unitsTotal;
    @Column(name = "units_done")
    public int unitsDone;
    @Column(name = "errors")
    public int errorCount;
    @Column(name = "warnings")
    public int warningCount;
    @Column(name = "infos")
    public int infoCount;
    /** newline-separated */
    public String outputs;
    public String message;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "finished_at")
    public Instant finishedAt;

    /** @return the API view of this job */
    public JobView view() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        counts.put(Severity.ERROR, errorCount);
        counts.put(Severity.WARNING, warningCount);
        counts.put(Severity.INFO, infoCount);
        List<String> outputList = outputs == null || outputs.isEmpty() ? List.of() : Arrays.asList(outputs.split("\n"));
        return new JobView(id.toString(), status, repository, baseCommit, headCommit, unitsTotal, unitsDone, counts,
                outputList, message, createdAt, finishedAt);
    }

    /** Marks the job final with a status and a message. */
    public void finish(JobStatus finalStatus, String finalMessage) {
        status = finalStatus;
        message = finalMessage;
        finishedAt = Instant.now();
    }
}
