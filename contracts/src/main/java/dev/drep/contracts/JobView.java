package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as {@code GET /api/jobs/{id}} shows it.
 *
 * @param id         job id
 * @param status     where it is
 * @param repository what is reviewed
 * @param base       base commit id (null until planned)
 * @param head       head commit id (null until planned)
 * @param unitsTotal units planned
 * @param unitsDone  units whose results are in
 * @param findings   findings per severity, once done
 * @param outputs    where the review went
 * @param message    why it failed, or a note such as "nothing to review"
 * @param createdAt  when it was accepted
 * @param finishedAt when it reached a final status, or null
 * @param profile    where the job's time and LLM money went so far
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobView(String id, JobStatus status, String repository, String base, String head, int unitsTotal,
        int unitsDone, Map<Severity, Integer> findings, List<String> outputs, String message, Instant createdAt,
        Instant finishedAt, JobProfile profile) {
}
