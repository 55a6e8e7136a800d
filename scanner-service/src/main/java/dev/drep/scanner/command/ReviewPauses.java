package dev.drep.scanner.command;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Pull requests whose automatic reviews are paused ({@code /drep pause}, table {@code scanner.pull_request_pause}):
 * a push to one of them starts no review until {@code /drep resume}. Each method needs a session; the writes a
 * transaction.
 */
@ApplicationScoped
public class ReviewPauses {

    /** @return who paused the pull request, or null when its reviews are not paused */
    public Uni<String> pausedBy(UUID repositoryId, int number) {
        return Panache.getSession().chain(session -> session.<String>createNativeQuery("SELECT paused_by FROM "
                        + "{h-schema}pull_request_pause WHERE repository_id = :repository AND pr_number = :number", String.class)
                .setParameter("repository", repositoryId)
                .setParameter("number", number)
                .getResultList())
                .map((List<String> rows) -> rows.isEmpty() ? null : rows.get(0));
    }

    /** @return false when it was paused already */
    Uni<Boolean> pause(UUID repositoryId, int number, String by) {
        return Panache.getSession().chain(session -> session.createNativeQuery("INSERT INTO {h-schema}pull_request_pause "
                        + "(repository_id, pr_number, paused_by, paused_at) VALUES (:repository, :number, :by, now()) "
                        + "ON CONFLICT DO NOTHING")
                .setParameter("repository", repositoryId)
                .setParameter("number", number)
                .setParameter("by", by)
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /** @return false when it was not paused */
    Uni<Boolean> resume(UUID repositoryId, int number) {
        return Panache.getSession().chain(session -> session.createNativeQuery("DELETE FROM {h-schema}pull_request_pause "
                        + "WHERE repository_id = :repository AND pr_number = :number")
                .setParameter("repository", repositoryId)
                .setParameter("number", number)
                .executeUpdate())
                .map(deleted -> deleted == 1);
    }
}
