package dev.drep.scanner.planning;

import dev.drep.scanner.job.JobWatchdog;
import dev.drep.scanner.metrics.ScannerMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Consumes the dead-letter queue of planning requests ({@code drep.scanner.plan-requests.dead}): a request the
 * broker gave up on after every delivery attempt failed (planning crashed or could not reach the database or the
 * publisher each time) ends its job as FAILED with the reason, instead of leaving it QUEUED until its deadline.
 * Counted in {@code drep_scanner_dead_letters_total}.
 */
@ApplicationScoped
public class DeadPlanRequests {
    private static final Logger LOG = Logger.getLogger(DeadPlanRequests.class);
    /** The queue consumed here, as the metric's {@code queue} label names it. */
    public static final String QUEUE = PlanningQueue.ADDRESS;
    static final String REASON = "planning failed on every delivery attempt and the broker dead-lettered the job's "
            + "planning request; the scanner's log names the error";

    private final JobWatchdog jobs;
    private final ScannerMetrics metrics;

    public DeadPlanRequests(JobWatchdog jobs, ScannerMetrics metrics) {
        this.jobs = jobs;
        this.metrics = metrics;
    }

    @Incoming("dead-plan-requests")
    public Uni<Void> consume(String payload) {
        metrics.deadLetter(QUEUE);
        UUID id;
        try {
            id = UUID.fromString(payload.strip());
        } catch (RuntimeException e) {
            LOG.errorf("dropping a dead-lettered planning request that names no job: %s",
                    payload.length() <= 200 ? payload : payload.substring(0, 200) + "…");
            return Uni.createFrom().voidItem();
        }
        MDC.put(PlanningQueue.JOB_LOG_KEY, id.toString());
        return jobs.fail(id, REASON).invoke(ended -> {
            if (!ended) {
                LOG.infof("dead-lettered planning request of job %s ignored: the job is final already", id);
            }
        }).replaceWithVoid();
    }
}
