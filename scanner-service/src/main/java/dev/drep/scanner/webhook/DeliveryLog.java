package dev.drep.scanner.webhook;

import dev.drep.core.platform.Platform;
import dev.drep.scanner.job.Job;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Records handled deliveries by platform and delivery id, in the same transaction as the job they create,
 * so that a redelivery (the platform retrying, or an operator pressing "redeliver") finds the first job
 * instead of creating a second. Concurrent copies of one delivery are decided by the primary key.
 */
@ApplicationScoped
public class DeliveryLog {

    /**
     * What became of a delivery.
     *
     * @param job       the job of the delivery (new, or the one created by its first copy; may be null when
     *                  that job is gone)
     * @param duplicate true when the delivery was recorded before
     */
    public record Outcome(Job job, boolean duplicate) {
    }

    /** Records the delivery and persists {@code job}, or finds the job of an earlier copy of the delivery. */
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
                        ? job.persist().replaceWith(new Outcome(job, false))
                        : earlierJob(platform, deliveryId).map(earlier -> new Outcome(earlier, true))));
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
