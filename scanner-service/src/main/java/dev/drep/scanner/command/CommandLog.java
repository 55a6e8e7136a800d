package dev.drep.scanner.command;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The commands received, one row per comment ({@code scanner.pull_request_command}, keyed by repository and the
 * platform's comment id), so that a command is run and answered once however often its webhook is delivered. A
 * handler claims the row for {@code drep.scanner.commands.claim} (2 min), runs the command holding no transaction,
 * and marks it answered once the review-publisher has the reply; a handler that died leaves the claim to expire and a
 * redelivery of the comment runs it again — idempotently: a review job recorded on the row is reused, pause and
 * resume are states, and the publisher posts a reply id once.
 */
@ApplicationScoped
public class CommandLog {

    /** What claiming a comment's command found. */
    enum State {
        /** this handler holds it now */
        CLAIMED,
        /** answered before */
        ANSWERED,
        /** another handler holds it */
        BUSY
    }

    /**
     * @param state  what was found
     * @param jobId  the review job an earlier attempt recorded, or null
     */
    record Claim(State state, UUID jobId) {
    }

    /** Records the comment's command (once) and claims it unless answered or held by another handler. */
    Uni<Claim> claim(UUID repositoryId, String commentKey, int number, String author, String command, Duration claim) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("INSERT INTO {h-schema}pull_request_command (repository_id, "
                                + "comment_id, pr_number, author, command, received_at) VALUES (:repository, :comment, :number, "
                                + ":author, :command, now()) ON CONFLICT DO NOTHING")
                        .setParameter("repository", repositoryId)
                        .setParameter("comment", commentKey)
                        .setParameter("number", number)
                        .setParameter("author", author)
                        .setParameter("command", command)
                        .executeUpdate()
                        .chain(() -> session.createNativeQuery("UPDATE {h-schema}pull_request_command SET claimed_until = "
                                        + "now() + make_interval(secs => :seconds) WHERE repository_id = :repository AND "
                                        + "comment_id = :comment AND answered_at IS NULL AND (claimed_until IS NULL OR "
                                        + "claimed_until < now())")
                                .setParameter("seconds", (double) claim.toMillis() / 1000)
                                .setParameter("repository", repositoryId)
                                .setParameter("comment", commentKey)
                                .executeUpdate())
                        .chain(claimed -> session.<Object[]>createNativeQuery("SELECT CAST(job_id AS text), "
                                        + "answered_at IS NOT NULL FROM {h-schema}pull_request_command WHERE repository_id = "
                                        + ":repository AND comment_id = :comment", Object[].class)
                                .setParameter("repository", repositoryId)
                                .setParameter("comment", commentKey)
                                .getResultList()
                                .map((List<Object[]> rows) -> {
                                    Object[] row = rows.get(0);
                                    UUID job = row[0] == null ? null : UUID.fromString((String) row[0]);
                                    if (claimed == 1) {
                                        return new Claim(State.CLAIMED, job);
                                    }
                                    return new Claim(Boolean.TRUE.equals(row[1]) ? State.ANSWERED : State.BUSY, job);
                                }))));
    }

    /** Records the review job the command created (in the caller's transaction, with the job). */
    Uni<Integer> recordJob(UUID repositoryId, String commentKey, UUID jobId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("UPDATE {h-schema}pull_request_command SET "
                        + "job_id = :job WHERE repository_id = :repository AND comment_id = :comment")
                .setParameter("job", jobId)
                .setParameter("repository", repositoryId)
                .setParameter("comment", commentKey)
                .executeUpdate());
    }

    /** The reply is with the publisher: the command is done. */
    Uni<Void> answered(UUID repositoryId, String commentKey) {
        return update("answered_at = now(), claimed_until = NULL", repositoryId, commentKey);
    }

    /** The command could not be finished: a redelivery may run it at once. */
    Uni<Void> release(UUID repositoryId, String commentKey) {
        return update("claimed_until = NULL", repositoryId, commentKey);
    }

    private static Uni<Void> update(String set, UUID repositoryId, String commentKey) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                        "UPDATE {h-schema}pull_request_command SET " + set + " WHERE repository_id = :repository AND "
                                + "comment_id = :comment")
                .setParameter("repository", repositoryId)
                .setParameter("comment", commentKey)
                .executeUpdate())).replaceWithVoid();
    }
}
