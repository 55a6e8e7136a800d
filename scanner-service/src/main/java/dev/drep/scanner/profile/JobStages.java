package dev.drep.scanner.profile;

import dev.drep.contracts.StageSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Stores and reads the stage spans of jobs (the scanner's own, and those the publisher reports at the end). */
@ApplicationScoped
public class JobStages {

    /** Stores spans in the current session's transaction. */
    public Uni<Void> add(UUID jobId, List<StageSpan> spans) {
        if (spans.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<JobStageRecord> rows = new ArrayList<>(spans.size());
        for (StageSpan span : spans) {
            rows.add(JobStageRecord.of(jobId, span));
        }
        return Panache.getSession().chain(session -> session.persistAll(rows.toArray()));
    }

    /** @return every span of the job; needs a session */
    public Uni<List<StageSpan>> of(UUID jobId) {
        return JobStageRecord.<JobStageRecord>list("jobId", jobId)
                .map(rows -> rows.stream().map(JobStageRecord::span).toList());
    }
}
