package dev.drep.scanner.incremental;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Where the previous reviews got to: the last reviewed head of each pull request and the last scanned
 * commit of each repository. Both move only when a job finishes DONE (so a failed review is redone in
 * full by the next push) and only forwards in job creation order (so a late DONE of an older job cannot
 * move them back).
 */
@ApplicationScoped
public class ReviewHistory {

    /** @return the head of the last finished review of the pull request, or null; needs a session */
    public Uni<String> lastReviewedHead(UUID repositoryId, int number) {
        return Panache.getSession().chain(session -> session
                .<String>createNativeQuery("SELECT last_reviewed_head FROM {h-schema}pull_request_review WHERE repository_id = :repository "
                        + "AND number = :number", String.class)
                .setParameter("repository", repositoryId)
                .setParameter("number", number)
                .getResultList())
                .map(List::stream)
                .map(rows -> rows.findFirst().orElse(null));
    }

    /** Records that the pull request review job {@code jobId} finished DONE; needs a transaction. */
    public Uni<Void> pullRequestReviewed(UUID jobId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "INSERT INTO {h-schema}pull_request_review (repository_id, number, last_reviewed_head, job_id, job_created_at) "
                        + "SELECT j.repository_id, j.pr_number, j.head_commit, j.id, j.created_at FROM {h-schema}job j "
                        + "WHERE j.id = :job AND j.repository_id IS NOT NULL AND j.pr_number IS NOT NULL AND j.head_commit IS NOT NULL "
                        + "ON CONFLICT (repository_id, number) DO UPDATE SET last_reviewed_head = excluded.last_reviewed_head, "
                        + "job_id = excluded.job_id, job_created_at = excluded.job_created_at "
                        + "WHERE pull_request_review.job_created_at < excluded.job_created_at")
                .setParameter("job", jobId)
                .executeUpdate())
                .replaceWithVoid();
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
