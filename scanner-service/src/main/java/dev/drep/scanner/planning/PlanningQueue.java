package dev.drep.scanner.planning;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.MDC;

/**
 * The queue of jobs waiting to be planned. Any scanner replica consumes it, so the API only records
 * and queues, and the git work scales out with the replicas. The queued message carries the trace of
 * the request (W3C {@code traceparent} in its application properties), so planning continues it.
 */
@ApplicationScoped
public class PlanningQueue {
    /**
     * Key of the job id in the log context (MDC): from here on, the request's log lines, and those of
     * the planning and job-event consumers, carry it ({@code mdc.jobId} in JSON logs).
     */
    public static final String JOB_LOG_KEY = "jobId";
    /** The queue of jobs to plan ({@code plan-requests-out} sends to it, {@link PlanRequestReceiver} takes from it). */
    public static final String ADDRESS = "drep.scanner.plan-requests";

    private final MutinyEmitter<String> emitter;

    public PlanningQueue(@Channel("plan-requests-out") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Queues a job for planning; completes when the broker has the message. */
    public Uni<Void> enqueue(UUID jobId) {
        // on the request's own Vert.x context: its remaining log lines name the job, no other request's do
        MDC.put(JOB_LOG_KEY, jobId.toString());
        return emitter.send(jobId.toString());
    }
}
