package dev.drep.scanner.planning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.Stage;
import dev.drep.contracts.WorkUnit;
import dev.drep.core.profile.StageTimeline;
import dev.drep.scanner.incremental.ReviewHistory;
import dev.drep.scanner.job.Job;
import dev.drep.scanner.job.JobKind;
import dev.drep.scanner.job.JobWatchdog;
import dev.drep.scanner.ScannerConfig;
import dev.drep.scanner.metrics.ScannerMetrics;
import dev.drep.scanner.profile.JobStages;
import dev.drep.scanner.repository.RegisteredRepository;
import dev.drep.scanner.repository.RepositorySnapshot;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Plans queued jobs: reads what the job needs from the database (the registration, where the previous
 * review or scan got to), does the git work on a worker thread ({@link JobPreparation}), records the
 * reviewed range, registers the plan with the review-publisher, publishes the work units, and moves the
 * job to ANALYZING. A job with nothing to do ends DONE with the reason; a job that cannot be planned (its git
 * side fails, its planning deadline passes, the publisher refuses its plan) ends FAILED with the reason. A
 * planning that breaks off because drep's own services fail it (the database, the publisher away for longer
 * than the registration waits, the broker) leaves the job QUEUED and fails the request, which goes back to the
 * queue: the broker's redelivery plans it again, and its dead letter ends the job FAILED
 * ({@link DeadPlanRequests}). A redelivered request for a job already planned is a no-op; one for a job whose
 * units went out before the planning broke off sends them again under the same ids, which the analyzer and the
 * publisher take once (docs/architecture.md, "Delivery guarantees").
 */
@ApplicationScoped
public class PlanningConsumer {
    private static final Logger LOG = Logger.getLogger(PlanningConsumer.class);
    /** the source name of the scanner's stage spans */
    public static final String SOURCE = "scanner";
    /** units whose contents are read and on their way to the broker at once */
    private static final int UNITS_IN_FLIGHT = 4;

    private final Vertx vertx;
    private final ObjectMapper json;
    private final ReviewPublisher publisher;
    private final MutinyEmitter<String> workUnits;
    private final JobPreparation preparation;
    private final ReviewHistory history;
    private final ScannerMetrics metrics;
    private final JobStages stages;
    private final Duration planningTimeout;
    private final JobWatchdog jobs;

    public PlanningConsumer(Vertx vertx, ObjectMapper json, ReviewPublisher publisher,
            @Channel("work-units") MutinyEmitter<String> workUnits, JobPreparation preparation, ReviewHistory history,
            JobStages stages, ScannerMetrics metrics, ScannerConfig config, JobWatchdog jobs) {
        this.planningTimeout = config.jobLimits().planningTimeout();
        this.jobs = jobs;
        this.stages = stages;
        this.vertx = vertx;
        this.json = json;
        this.publisher = publisher;
        this.workUnits = workUnits;
        this.preparation = preparation;
        this.history = history;
        this.metrics = metrics;
    }

    /**
     * Plans one job ({@link PlanRequestReceiver} hands over the planning queue's messages).
     *
     * @param jobIdText the message body: the job's id
     * @return completes when the job's units are queued, or it is finished or failed
     */
    public Uni<Void> plan(String jobIdText) {
        UUID jobId;
        try {
            jobId = UUID.fromString(jobIdText.trim());
        } catch (RuntimeException e) {
            LOG.errorf("dropping a planning request with an invalid job id '%s'", jobIdText);
            return Uni.createFrom().voidItem();
        }
        // each message has its own Vert.x context: the log lines of this planning name its job
        MDC.put(PlanningQueue.JOB_LOG_KEY, jobId.toString());
        StageTimeline timeline = StageTimeline.of(SOURCE);
        Instant started = timeline.now();
        return Panache.withSession(() -> Job.<Job>findById(jobId).chain(job -> {
            if (job == null) {
                LOG.warnf("planning request for unknown job %s acknowledged and dropped", jobId);
                return Uni.createFrom().<PlanningInput>nullItem();
            }
            if (job.status != JobStatus.QUEUED) {
                return Uni.createFrom().<PlanningInput>nullItem(); // planned already: a redelivery
            }
            timeline.record(Stage.QUEUE, job.createdAt, started);
            return input(job);
        })).invoke(() -> timeline.since(Stage.DATABASE, started))
                .chain(input -> input == null ? Uni.createFrom().voidItem()
                        : planJob(input, timeline).onFailure(failure -> !(failure instanceof BrokeOff))
                                .recoverWithUni(failure -> fail(jobId, failure, timeline)));
    }

    /**
     * A planning step that needs drep's own services (the database, the publisher, the broker) and nothing of the
     * job's: its failure says that the planning broke off, not that the job cannot be planned. A plan the publisher
     * refused (4xx) is the job's.
     */
    private static <T> Uni<T> onServices(UUID jobId, String step, Uni<T> work) {
        return work.onFailure(failure -> !(failure instanceof ReviewPublisher.PlanRefused))
                .transform(failure -> new BrokeOff(jobId, step, failure));
    }

    /** The planning of a job broke off on drep's own services; the request goes back to the queue. */
    static final class BrokeOff extends RuntimeException {
        BrokeOff(UUID jobId, String step, Throwable cause) {
            super("the planning of job " + jobId + " broke off while " + step + " and is tried again on the"
                    + " request's next delivery: " + cause.getMessage(), cause);
        }
    }

    /** Loads what planning needs from the database; needs a session. */
    private Uni<PlanningInput> input(Job job) {
        if (job.kind == JobKind.LOCAL) {
            return Uni.createFrom().item(PlanningInput.of(job, null, null));
        }
        Uni<RegisteredRepository> registered = job.repositoryId == null ? Uni.createFrom().nullItem()
                : RegisteredRepository.findById(job.repositoryId);
        return registered.chain(repository -> {
            if (repository == null) {
                return Uni.createFrom().item(PlanningInput.of(job, null, null));
            }
            RepositorySnapshot snapshot = repository.snapshot();
            if (job.kind == JobKind.PULL_REQUEST && job.fullScan) {
                // /drep review: every changed file of the pull request, nothing carried over
                return Uni.createFrom().item(PlanningInput.of(job, snapshot, null));
            }
            if (job.kind == JobKind.PULL_REQUEST) {
                return history.lastReview(repository.id, job.pullRequestNumber)
                        .map(previous -> previous == null ? PlanningInput.of(job, snapshot, null)
                                : PlanningInput.of(job, snapshot, previous.head(), previous.notAnalysed()));
            }
            return Uni.createFrom().item(PlanningInput.of(job, snapshot, job.fullScan ? null : repository.lastScannedCommit));
        });
    }

    /**
     * Plans the job. Its profile gets the planning's stages: the git side ({@link Stage#GIT}), the database
     * work ({@link Stage#DATABASE}) and registering the plan and sending the units ({@link Stage#PLANNING}).
     */
    private Uni<Void> planJob(PlanningInput input, StageTimeline timeline) {
        UUID jobId = input.jobId();
        // with "job … planned" at the end: a scanner that died in between was planning this job
        LOG.infof("planning job %s (%s, %s)", jobId, input.kind(), input.repository());
        Instant gitStart = timeline.now();
        PlanningDeadline deadline = PlanningDeadline.in(planningTimeout);
        Context context = vertx.getOrCreateContext();
        // the git side stops itself at the deadline (checked between files); this ends a planning stuck elsewhere
        return vertx.executeBlocking(Uni.createFrom().item(() -> preparation.prepare(input, deadline)))
                .chain(prepared -> publish(jobId, prepared, timeline, gitStart, input.freshAnalysis())
                        .eventually(() -> {
                            if (prepared.contents() != null) {
                                prepared.contents().close();
                            }
                        }))
                .ifNoItem().after(planningTimeout).failWith(() -> PlanningDeadline.timedOut(planningTimeout))
                // the timeout fires on a timer thread; failing the job needs the Vert.x context back
                .emitOn(context::runOnContext);
    }

    private Uni<Void> publish(UUID jobId, PreparedPlan prepared, StageTimeline timeline, Instant gitStart,
            boolean freshAnalysis) {
        timeline.since(Stage.GIT, gitStart);
        if (prepared.doneMessage() != null) {
            return finishEarly(jobId, prepared, timeline);
        }
        // the range is recorded before the publisher can answer: a DONE event for an empty plan may
        // come back at once, and where the next incremental review starts is taken from the job row
        Instant recordStart = timeline.now();
        return onServices(jobId, "recording the reviewed range", recordRange(jobId, prepared))
                .invoke(() -> timeline.since(Stage.DATABASE, recordStart))
                .chain(() -> {
                    Instant registerStart = timeline.now();
                    return onServices(jobId, "registering the plan with review-publisher",
                            publisher.register(prepared.plan()))
                            .chain(() -> publishUnits(jobId, prepared, freshAnalysis))
                            .invoke(() -> timeline.since(Stage.PLANNING, registerStart));
                })
                .chain(() -> onServices(jobId, "moving the job to ANALYZING", Panache.withTransaction(() ->
                        Job.<Job>findById(jobId).chain(j -> {
                            if (j.status == JobStatus.QUEUED) {
                                j.status = JobStatus.ANALYZING;
                                j.unitsTotal = prepared.units().size();
                            }
                            return stages.add(jobId, timeline.spans());
                        }))))
                .invoke(() -> {
                    // named again: once in CI the job's id was gone from the log context by here (the trace was not)
                    MDC.put(PlanningQueue.JOB_LOG_KEY, jobId.toString());
                    LOG.infof("job %s planned: %d units, %d files not analysed, %d deleted%s", jobId,
                            prepared.units().size(), prepared.plan().notAnalyzed().size(),
                            prepared.plan().deleted().size(),
                            prepared.previousHead() == null ? "" : ", incremental since " + prepared.previousHead());
                })
                .replaceWithVoid();
    }

    private Uni<Void> recordRange(UUID jobId, PreparedPlan prepared) {
        return Panache.withTransaction(() -> Job.<Job>findById(jobId).invoke(j -> {
            j.baseCommit = prepared.baseCommit();
            j.headCommit = prepared.headCommit();
            j.startCommit = prepared.startCommit();
            j.previousHead = prepared.previousHead();
        })).replaceWithVoid();
    }

    private Uni<Void> finishEarly(UUID jobId, PreparedPlan prepared, StageTimeline timeline) {
        LOG.infof("job %s needs no analysis: %s", jobId, prepared.doneMessage());
        return countedWhenCommitted(onServices(jobId, "finishing the job", Panache.withTransaction(() ->
                Job.<Job>findById(jobId).chain(j -> {
                    if (j.status != JobStatus.QUEUED) {
                        return Uni.createFrom().<Job>nullItem();
                    }
                    j.baseCommit = prepared.baseCommit();
                    j.headCommit = prepared.headCommit();
                    j.finish(JobStatus.DONE, prepared.doneMessage());
                    return stages.add(jobId, timeline.spans()).replaceWith(j);
                }))));
    }

    /**
     * Sends the units a few at a time, reading each unit's file contents just before it is sent and letting
     * go of them once the broker has it: the text held at once is bounded by {@link #UNITS_IN_FLIGHT} units.
     */
    private Uni<Void> publishUnits(UUID jobId, PreparedPlan prepared, boolean freshAnalysis) {
        if (prepared.units().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // reading a unit's files is the job's side; the broker taking it is drep's
        return Multi.createFrom().iterable(prepared.units())
                .onItem().transformToUni(unit -> vertx.executeBlocking(Uni.createFrom().item(() -> message(prepared,
                        freshAnalysis ? unit.withFreshAnalysis() : unit)))
                        .chain(message -> onServices(jobId, "sending the work units", workUnits.send(message))))
                .merge(UNITS_IN_FLIGHT)
                .onItem().ignoreAsUni();
    }

    private String message(PreparedPlan prepared, WorkUnit unit) {
        try {
            return json.writeValueAsString(prepared.contents().fill(unit).sentAt(Instant.now()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not write work unit " + unit.unitId() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Ends the job FAILED as a deadline or a dead letter does ({@link JobWatchdog#fail}: once, counted, logged, and
     * for a pull request reported on it by the next watch), then keeps the planning's stages.
     */
    private Uni<Void> fail(UUID jobId, Throwable failure, StageTimeline timeline) {
        return jobs.fail(jobId, "could not plan the review: " + failure.getMessage())
                .chain(ended -> ended ? Panache.withTransaction(() -> stages.add(jobId, timeline.spans()))
                        : Uni.createFrom().voidItem());
    }

    /** Counts a job that the transaction finished once it is committed (a rolled-back one is redelivered). */
    private Uni<Void> countedWhenCommitted(Uni<Job> finished) {
        return finished.invoke(job -> {
            if (job != null) {
                metrics.jobFinished(job.kind, job.status);
            }
        }).replaceWithVoid();
    }
}
