package dev.drep.publisher.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.Stage;
import dev.drep.contracts.StageSpan;
import dev.drep.contracts.UnitResult;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Gathers unit results. A result is stored once per unit id (a redelivery stores nothing new); a result
 * for a job the publisher does not know, or for a unit not in the job's plan, is logged and
 * acknowledged — redelivering it could never succeed. Every delivery of a result of a known job, a redelivery
 * included, checks the job for completion: the check after the first delivery's store may have failed (the
 * database broke off after the store committed), and that delivery's redelivery is then the only one left to make
 * it ({@link ReviewCompletion#check} does nothing for a job that is no longer gathering).
 */
@ApplicationScoped
public class ResultConsumer {
    private static final Logger LOG = Logger.getLogger(ResultConsumer.class);

    private final ObjectMapper json;
    private final ReviewCompletion completion;

    public ResultConsumer(ObjectMapper json, ReviewCompletion completion) {
        this.json = json;
        this.completion = completion;
    }

    /**
     * Stores one result ({@link ResultReceiver} hands over the results queue's messages).
     *
     * @param payload the message body: a {@link UnitResult} as JSON
     * @return completes when the result is stored and its job checked for completion
     */
    public Uni<Void> gather(String payload) {
        Instant arrived = Instant.now();
        UnitResult result;
        try {
            result = json.readValue(payload, UnitResult.class);
        } catch (Exception e) {
            LOG.errorf("dropping a unit result that is not valid JSON: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (result.jobId() == null || result.unitId() == null) {
            LOG.error("dropping a unit result without jobId or unitId");
            return Uni.createFrom().voidItem();
        }
        // each message has its own Vert.x context: the log lines of this result name its job
        MDC.put(ReviewCompletion.JOB_LOG_KEY, result.jobId());
        return Panache.withTransaction(() -> TrackedJob.<TrackedJob>findById(result.jobId()).chain(job -> {
            if (job == null) {
                LOG.warnf("result of unit %s for unknown job %s acknowledged and dropped", result.unitId(), result.jobId());
                return Uni.createFrom().item(false);
            }
            if (!plan(job).unitIds().contains(result.unitId())) {
                LOG.warnf("result of unit %s is not part of job %s's plan; dropped", result.unitId(), result.jobId());
                return Uni.createFrom().item(false);
            }
            return ReceivedResult.<ReceivedResult>findById(result.unitId()).chain(existing -> {
                if (existing != null) {
                    return Uni.createFrom().item(true); // stored by an earlier delivery: checked again all the same
                }
                ReceivedResult received = new ReceivedResult();
                received.unitId = result.unitId();
                received.jobId = result.jobId();
                received.payload = payload;
                received.receivedAt = arrived;
                received.stages = write(transitAndStorage(result, arrived));
                return received.persist().replaceWith(true);
            });
        })).chain(known -> known ? completion.check(result.jobId()) : Uni.createFrom().voidItem());
    }

    /**
     * The result's way here, for the job profile: from the analyzer's last recorded instant to its arrival it
     * waited in the broker; from its arrival to now it was being stored.
     */
    private static List<StageSpan> transitAndStorage(UnitResult result, Instant arrived) {
        List<StageSpan> spans = new ArrayList<>(2);
        result.stages().stream().map(StageSpan::end).max(Instant::compareTo)
                .ifPresent(sent -> spans.add(new StageSpan(Stage.QUEUE, result.unitId(), sent, arrived)));
        spans.add(new StageSpan(Stage.DATABASE, result.unitId(), arrived, Instant.now()));
        return spans;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("could not serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private JobPlan plan(TrackedJob job) {
        try {
            return json.readValue(job.plan, JobPlan.class);
        } catch (Exception e) {
            throw new IllegalStateException("stored plan of job " + job.jobId + " is unreadable", e);
        }
    }
}
