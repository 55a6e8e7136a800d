package dev.drep.scanner.planning;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The queue of jobs waiting to be planned. Any scanner replica consumes it, so the API only records
 * and queues, and the git work scales out with the replicas. The queued message carries the trace of
 * the request (W3C {@code traceparent} in its application properties), so planning continues it.
 *
 * <p>A job's planning request is an outbox entry: every path that creates a job (review API, scan API,
 * webhooks) records the job row ({@code QUEUED}, {@code planning_sent_at} null) in its transaction first, then
 * calls {@link #enqueue}, which sends the request and, once the broker has it, records {@code planning_sent_at}.
 * A process that dies in between, or a broker that does not take the request, leaves the row unsent, and
 * {@link PlanningRelay} sends it again. Planning is idempotent, so a request sent twice plans once.
 */
@ApplicationScoped
public class PlanningQueue {
    private static final Logger LOG = Logger.getLogger(PlanningQueue.class);
    /**
     * Key of the job id in the log context (MDC): from here on, the request's log lines, and those of
     * the planning and job-event consumers, carry it ({@code mdc.jobId} in JSON logs).
     */
    public static final String JOB_LOG_KEY = "jobId";
    /** The queue of jobs to plan ({@code plan-requests-out} sends to it, {@link PlanRequestReceiver} takes from it). */
    public static final String ADDRESS = "drep.scanner.plan-requests";
    /** How long a request waits for the broker before the job is left to the relay (the API answers 202 anyway). */
    private static final Duration SEND_WAIT = Duration.ofSeconds(5);

    private final MutinyEmitter<String> emitter;
    private final Pool pool;

    public PlanningQueue(@Channel("plan-requests-out") MutinyEmitter<String> emitter, Pool pool) {
        this.emitter = emitter;
        this.pool = pool;
    }

    /**
     * Queues a recorded job for planning. Completes when the broker has the request and the job says so, or, when
     * the broker does not take it within a few seconds, with the job left to {@link PlanningRelay}; never fails.
     */
    public Uni<Void> enqueue(UUID jobId) {
        // on the request's own Vert.x context: its remaining log lines name the job, no other request's do
        MDC.put(JOB_LOG_KEY, jobId.toString());
        return send(jobId)
                .ifNoItem().after(SEND_WAIT).fail()
                .onFailure().invoke(failure -> LOG.warnf("the planning request of job %s is not on the broker yet (%s); "
                        + "the relay sends it again", jobId, failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Sends the planning request and records that the broker has it; fails when either does not happen. */
    Uni<Void> send(UUID jobId) {
        return emitter.send(jobId.toString())
                .chain(() -> pool.preparedQuery("UPDATE scanner.job SET planning_sent_at = now() WHERE id = $1 "
                        + "AND planning_sent_at IS NULL").execute(Tuple.of(jobId)))
                .replaceWithVoid();
    }
}
