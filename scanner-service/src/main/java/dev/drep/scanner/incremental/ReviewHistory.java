package dev.drep.scanner.incremental;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Where the previous reviews got to: the last reviewed head of each pull request and the last scanned
 * commit of each repository. Both move only when a job finishes DONE (so a failed review is redone in
 * full by the next push) and only forwards in job creation order (so a late DONE of an older job cannot
 * move them back). With the head goes the list of files that review could not analyse: the next push
 * analyses them again, whether or not they changed.
 */
@ApplicationScoped
public class ReviewHistory {
    private static final TypeReference<List<String>> PATHS = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public ReviewHistory(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The last finished review of a pull request.
     *
     * @param head        the head it reviewed
     * @param notAnalysed the files it could not analyse (to analyse again on the next push)
     */
    public record PreviousReview(String head, Set<String> notAnalysed) {
        public PreviousReview {
            notAnalysed = notAnalysed == null ? Set.of() : Set.copyOf(notAnalysed);
        }
    }

    /** @return the last finished review of the pull request, or null; needs a session */
    public Uni<PreviousReview> lastReview(UUID repositoryId, int number) {
        return Panache.getSession().chain(session -> session
                .<Object[]>createNativeQuery("SELECT last_reviewed_head, not_analysed FROM {h-schema}pull_request_review "
                        + "WHERE repository_id = :repository AND number = :number", Object[].class)
                .setParameter("repository", repositoryId)
                .setParameter("number", number)
                .getResultList())
                .map(rows -> rows.isEmpty() ? null
                        : new PreviousReview((String) rows.get(0)[0], Set.copyOf(paths((String) rows.get(0)[1]))));
    }

    /**
     * Records that the pull request review job {@code jobId} finished DONE, unable to analyse {@code notAnalysed};
     * needs a transaction.
     */
    public Uni<Void> pullRequestReviewed(UUID jobId, List<String> notAnalysed) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "INSERT INTO {h-schema}pull_request_review (repository_id, number, last_reviewed_head, job_id, job_created_at, "
                        + "not_analysed) "
                        + "SELECT j.repository_id, j.pr_number, j.head_commit, j.id, j.created_at, :notAnalysed FROM {h-schema}job j "
                        + "WHERE j.id = :job AND j.repository_id IS NOT NULL AND j.pr_number IS NOT NULL AND j.head_commit IS NOT NULL "
                        + "ON CONFLICT (repository_id, number) DO UPDATE SET last_reviewed_head = excluded.last_reviewed_head, "
                        + "job_id = excluded.job_id, job_created_at = excluded.job_created_at, "
                        + "not_analysed = excluded.not_analysed "
                        + "WHERE pull_request_review.job_created_at < excluded.job_created_at")
                .setParameter("job", jobId)
                .setParameter("notAnalysed", notAnalysed.isEmpty() ? null : write(notAnalysed))
                .executeUpdate())
                .replaceWithVoid();
    }

    private List<String> paths(String stored) {
        if (stored == null || stored.isBlank()) {
            return List.of();
        }
        try {
            return json.readValue(stored, PATHS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored list of files not analysed is unreadable: " + e.getMessage(), e);
        }
    }

    private String write(List<String> paths) {
        try {
            return json.writeValueAsString(paths);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records that the scan job {@code jobId} finished DONE; needs a transaction. */
    public Uni<Void> repositoryScanned(UUID jobId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "UPDATE {h-schema}repository r SET last_scanned_commit = j.head_commit, last_scanned_at = j.created_at FROM {h-schema}job j "
                        + "WHERE j.id = :job AND r.id = j.repository_id AND j.head_commit IS NOT NULL "
                        + "AND (r.last_scanned_at IS NULL OR r.last_scanned_at < j.created_at)")
                .setParameter("job", jobId)
                .executeUpdate())
                .replaceWithVoid();
    }
}
