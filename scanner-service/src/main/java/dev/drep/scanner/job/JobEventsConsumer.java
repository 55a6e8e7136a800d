package dev.drep.scanner.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.JobEvent;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.Severity;
import dev.drep.contracts.Stage;
import dev.drep.contracts.StageSpan;
import dev.drep.scanner.incremental.ReviewHistory;
import dev.drep.scanner.planning.PlanningQueue;
import dev.drep.scanner.metrics.ScannerMetrics;
import dev.drep.scanner.profile.JobStages;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Applies the review-publisher's progress and completion events to the jobs the scanner owns.
 * Events may arrive out of order and more than once, also to several replicas at once: progress never goes
 * backwards, a final status is never changed, and a final event is applied (counted, profiled, recorded in the review
 * history) by exactly one delivery, because each event reads its job under the row's lock.
 */
@ApplicationScoped
public class JobEventsConsumer {
    private static final Logger LOG = Logger.getLogger(JobEventsConsumer.class);

    private final ObjectMapper json;
    private final ReviewHistory history;
    private final JobStages stages;
    private final ScannerMetrics metrics;

    public JobEventsConsumer(ObjectMapper json, ReviewHistory history, JobStages stages, ScannerMetrics metrics) {
        this.json = json;
        this.history = history;
        this.stages = stages;
        this.metrics = metrics;
    }

    /**
     * Applies one event ({@link JobEventReceiver} hands over the job-event queue's messages).
     *
     * @param payload the message body: a {@link JobEvent} as JSON
     * @return completes when the event is applied
     */
    public Uni<Void> apply(String payload) {
        JobEvent event;
        try {
            event = json.readValue(payload, JobEvent.class);
        } catch (Exception e) {
            LOG.errorf("dropping a job event that is not valid JSON: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        UUID id;
        try {
            id = UUID.fromString(event.jobId());
        } catch (RuntimeException e) {
            LOG.errorf("dropping a job event with an invalid job id '%s'", event.jobId());
            return Uni.createFrom().voidItem();
        }
        // each message has its own Vert.x context: the log lines about this event name its job
        MDC.put(PlanningQueue.JOB_LOG_KEY, id.toString());
        // counted once the transaction is committed: an event whose transaction rolls back is redelivered
        AtomicReference<Job> finished = new AtomicReference<>();
        // the job row is read locked (SELECT ... FOR UPDATE) until the transaction ends: replicas that take copies of
        // one event at once (the publisher sends a final event again when its claim on it expired) apply it one after
        // the other, so the second reads the job final and applies nothing; a progress event cannot write back a job
        // a final event (or the watchdog) has just finished either
        return Panache.withTransaction(() -> Job.<Job>findById(id, LockModeType.PESSIMISTIC_WRITE).chain(job -> {
            if (job == null) {
                LOG.warnf("job event for unknown job %s ignored", id);
                return Uni.createFrom().voidItem();
            }
            if (job.status.isFinal()) {
                if (event.status().isFinal()) {
                    LOG.infof("job %s is already %s: its final event (%s) is acknowledged without effect (a repeated "
                            + "delivery, or a job that ended first)", id, job.status, event.status());
                }
                return Uni.createFrom().voidItem();
            }
            job.unitsDone = Math.max(job.unitsDone, event.unitsDone());
            if (event.status().isFinal()) {
                job.errorCount = event.findings().getOrDefault(Severity.ERROR, 0);
                job.warningCount = event.findings().getOrDefault(Severity.WARNING, 0);
                job.infoCount = event.findings().getOrDefault(Severity.INFO, 0);
                job.outputs = String.join("\n", event.outputs());
                job.status = event.status();
                job.message = event.message();
                job.finishedAt = Instant.now();
                finished.set(job);
                job.usage(event.usage());
                Uni<Void> profiled = stages.add(id, withEventTransit(event, job.finishedAt));
                if (event.status() == JobStatus.DONE) {
                    return profiled.chain(() -> recordProgress(job, event.retryFiles()));
                }
                return profiled;
            } else if (event.status() == JobStatus.PUBLISHING) {
                job.status = JobStatus.PUBLISHING;
            }
            return Uni.createFrom().voidItem();
        })).invoke(() -> {
            Job job = finished.get();
            if (job != null) {
                metrics.jobFinished(job.kind, job.status);
            }
        }).replaceWithVoid();
    }

    /**
     * The event's spans, plus its own way here: from the last instant the publisher accounted for to now,
     * the final event waited in the broker.
     */
    private static List<StageSpan> withEventTransit(JobEvent event, Instant received) {
        List<StageSpan> spans = new ArrayList<>(event.stages());
        event.stages().stream().filter(s -> "publisher".equals(s.source())).map(StageSpan::end)
                .max(Instant::compareTo)
                .ifPresent(sent -> spans.add(new StageSpan(Stage.QUEUE, "publisher", sent, received)));
        return spans;
    }

    /**
     * A finished review or scan is where the next incremental one starts; the files a pull request review could
     * not analyse are analysed again by the next one.
     */
    private Uni<Void> recordProgress(Job job, List<String> notAnalysed) {
        return switch (job.kind) {
            case PULL_REQUEST -> history.pullRequestReviewed(job.id, notAnalysed);
            case SCAN -> history.repositoryScanned(job.id);
            case LOCAL -> Uni.createFrom().voidItem();
        };
    }
}
