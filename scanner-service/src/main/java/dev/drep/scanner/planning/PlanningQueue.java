package dev.drep.scanner.planning;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * The queue of jobs waiting to be planned. Any scanner replica consumes it, so the API only records
 * and queues, and the git work scales out with the replicas.
 */
@ApplicationScoped
public class PlanningQueue {
    private final MutinyEmitter<String> emitter;

    public PlanningQueue(@Channel("plan-requests-out") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Queues a job for planning; completes when the broker has the message. */
    public Uni<Void> enqueue(UUID jobId) {
        return emitter.send(jobId.toString());
    }
}
