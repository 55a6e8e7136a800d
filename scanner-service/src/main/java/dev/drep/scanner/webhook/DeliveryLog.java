package dev.drep.scanner.webhook;

import dev.drep.contracts.JobStatus;
import dev.drep.core.platform.Platform;
import dev.drep.scanner.job.Job;
import dev.drep.scanner.job.JobKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Records handled deliveries by platform and delivery id, in the same transaction as the job they create,
 * so that a redelivery (the platform retrying, or an operator pressing "redeliver") finds the first job
 * instead of creating a second. Concurrent copies of one delivery are decided by the primary key.
 *
 * <p>A review is also recorded once per pull request head: a delivery with a new id (a replay, or the same
 * push announced twice) for a head that has a job which did not fail finds that job. Deliveries of one head
 * are serialised by an advisory lock for the length of the transaction. A failed review's head may be
 * reviewed again, which is how a person retries one.
 */
@ApplicationScoped
public class DeliveryLog {
    /** Advisory lock class of pull request heads ("drpw"); the reservation store uses its own. */
    private static final int HEAD_LOCK_CLASS = 0x64727077;

    /** What became of a delivery. */
    public enum Kind {
        /** the delivery's job was created */
        NEW,
        /** the delivery was recorded before: its first job */
        REDELIVERY,
        /** another delivery asked for the same pull request head: that delivery's job */
        SAME_HEAD
    }

    /**
     * What became of a delivery.
     *
     * @param kind new, a redelivery, or another delivery of a head that has a job
     * @param job  the job of the delivery (new, or the earlier one; may be null when that job is gone)
     */
    public record Outcome(Kind kind, Job job) {
    }

    /** Records the delivery and persists {@code job}, or finds the job of an earlier copy of the delivery or head. */
    public Uni<Outcome> record(Platform platform, String deliveryId, String event, Job job) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("INSERT INTO {h-schema}webhook_delivery (platform, delivery_id, event, job_id, "
                                + "received_at) VALUES (:platform, :delivery, :event, :job, now()) ON CONFLICT DO NOTHING")
                        .setParameter("platform", platform.id())
                        .setParameter("delivery", deliveryId)
                        .setParameter("event", event)
                        .setParameter("job", job.id)
                        .executeUpdate())
                .chain(inserted -> inserted == 1
                        ? sameHead(job).chain(earlier -> earlier == null
                                ? job.persist().replaceWith(new Outcome(Kind.NEW, job))
                                : pointAt(platform, deliveryId, earlier).replaceWith(new Outcome(Kind.SAME_HEAD, earlier)))
                        : earlierJob(platform, deliveryId).map(earlier -> new Outcome(Kind.REDELIVERY, earlier))));
    }

    /** @return the job of a pull request review of the same head that has not failed, or null (and null for scans) */
    private static Uni<Job> sameHead(Job job) {
        if (job.kind != JobKind.PULL_REQUEST) {
            return Uni.createFrom().nullItem();
        }
        String head = job.repositoryId + "#" + job.pullRequestNumber + "@" + job.headCommit;
        return Panache.getSession()
                // a separate statement: the SELECT after it takes a snapshot that sees what the lock's last holder committed
                .chain(session -> session.createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(:class, hashtext(:head))")
                        .setParameter("class", HEAD_LOCK_CLASS)
                        .setParameter("head", head)
                        .getResultList())
                .chain(locked -> Job.<Job>find("repositoryId = ?1 and pullRequestNumber = ?2 and headCommit = ?3 and kind = ?4 "
                                + "and status <> ?5 order by createdAt desc", job.repositoryId, job.pullRequestNumber, job.headCommit,
                        JobKind.PULL_REQUEST, JobStatus.FAILED).firstResult());
    }

    /** Makes a redelivery of this delivery find the job it was answered with. */
    private static Uni<Integer> pointAt(Platform platform, String deliveryId, Job earlier) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("UPDATE {h-schema}webhook_delivery SET job_id = :job WHERE platform = "
                                + ":platform AND delivery_id = :delivery")
                        .setParameter("job", earlier.id)
                        .setParameter("platform", platform.id())
                        .setParameter("delivery", deliveryId)
                        .executeUpdate());
    }

    private static Uni<Job> earlierJob(Platform platform, String deliveryId) {
        return Panache.getSession()
                .chain(session -> session.<UUID>createNativeQuery("SELECT job_id FROM {h-schema}webhook_delivery WHERE platform = :platform "
                                + "AND delivery_id = :delivery", UUID.class)
                        .setParameter("platform", platform.id())
                        .setParameter("delivery", deliveryId)
                        .getResultList())
                .chain((List<UUID> ids) -> ids.isEmpty() || ids.get(0) == null
                        ? Uni.createFrom().nullItem()
                        : Job.<Job>findById(ids.get(0)));
    }
}
