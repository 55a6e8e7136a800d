package dev.drep.analyzer.unit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Stage;
import dev.drep.contracts.UnitResult;
import dev.drep.analyzer.metrics.AnalyzerMetrics;
import dev.drep.contracts.WorkUnit;
import dev.drep.core.profile.StageTimeline;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Analyses the work units {@link WorkUnitReceiver} takes from the analysis queue (analyzer replicas compete
 * for them) and publishes one result per unit. The unit is acknowledged only after its result is on the broker and
 * recorded as processed; a redelivered unit that was processed already is acknowledged with no new
 * result. A unit that is not valid JSON is logged and acknowledged: redelivering it cannot help.
 * Several units are analysed at once ({@code drep.analyzer.units.concurrency}); a copy of
 * a unit that arrives while the same unit is still being analysed here waits for it, so that the
 * processed-unit check also holds between concurrent copies.
 */
@ApplicationScoped
public class WorkUnitConsumer {
    private static final Logger LOG = Logger.getLogger(WorkUnitConsumer.class);
    /** Key of the job id in the log context (MDC): {@code mdc.jobId} in JSON logs. */
    public static final String JOB_LOG_KEY = "jobId";

    /** Why the files of a dead-lettered unit were not analysed. */
    public static final String DEAD_LETTER_REASON = "its work unit failed on every delivery attempt and "
            + "the broker dead-lettered it (the analyzer's log names the error)";

    private final ObjectMapper json;
    private final UnitAnalysis analysis;
    private final MutinyEmitter<String> results;
    private final AnalyzerMetrics metrics;
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    /**
     * How long the broker may take to confirm a result. A send in flight when the broker went away was never confirmed
     * nor failed by the messaging connector: the unit stayed "being analysed" here for good, and its copy redelivered
     * after the broker's restart waited for it for good (the end-to-end test's broker restart, one unit in 17). Past
     * this the send counts as failed, the unit as not processed, and the copy analyses it again; the publisher keeps
     * one result per unit, should the first arrive after all.
     */
    static final Duration RESULT_CONFIRMATION = Duration.ofSeconds(30);

    public WorkUnitConsumer(ObjectMapper json, UnitAnalysis analysis, @Channel("unit-results") MutinyEmitter<String> results,
            AnalyzerMetrics metrics) {
        this.json = json;
        this.analysis = analysis;
        this.results = results;
        this.metrics = metrics;
    }

    /**
     * @param payload the message body: a {@link WorkUnit} as JSON
     * @return completes when the unit's result is sent and the unit recorded (or when there is nothing to do)
     */
    public Uni<Void> consume(String payload) {
        WorkUnit unit;
        try {
            unit = json.readValue(payload, WorkUnit.class);
        } catch (Exception e) {
            LOG.errorf("dropping a work unit that is not valid JSON: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (unit.unitId() == null || unit.jobId() == null) {
            LOG.errorf("dropping a work unit without unitId or jobId: %s", abbreviate(payload));
            return Uni.createFrom().voidItem();
        }
        // each message has its own Vert.x context: the log lines of this unit name its job
        MDC.put(JOB_LOG_KEY, unit.jobId());
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = inFlight.putIfAbsent(unit.unitId(), mine);
        if (running != null) {
            // The same unit is being analysed by this replica right now (a duplicate message; several
            // units run at once): wait for it, then the processed-unit check acknowledges this copy
            // without a second result — or analyses it, if the first attempt failed.
            Context caller = Vertx.currentContext();
            Uni<Void> first = Uni.createFrom().completionStage(running).onFailure().recoverWithNull().replaceWithVoid();
            if (caller != null) {
                first = first.emitOn(command -> caller.runOnContext(ignored -> command.run()));
            }
            return first.chain(() -> consume(payload));
        }
        return process(unit).onTermination().invoke(() -> {
            inFlight.remove(unit.unitId(), mine);
            mine.complete(null);
        });
    }

    /**
     * A unit the broker dead-lettered after every delivery attempt failed: its result names every file as not
     * analysed with the reason, so that the publisher completes the job instead of waiting for it until the deadline.
     * The publisher keeps one result per unit id, so a real result that arrived earlier stays.
     *
     * @param payload the message body: a {@link WorkUnit} as JSON
     * @return completes when the result is on the broker
     */
    public Uni<Void> deadLettered(String payload) {
        WorkUnit unit;
        try {
            unit = json.readValue(payload, WorkUnit.class);
        } catch (Exception e) {
            LOG.errorf("dropping a dead-lettered work unit that is not valid JSON: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (unit.unitId() == null || unit.jobId() == null) {
            LOG.errorf("dropping a dead-lettered work unit without unitId or jobId: %s", abbreviate(payload));
            return Uni.createFrom().voidItem();
        }
        MDC.put(JOB_LOG_KEY, unit.jobId());
        List<NotAnalyzed> files = new ArrayList<>();
        for (FileToAnalyze file : unit.files()) {
            files.add(new NotAnalyzed(file.path(), DEAD_LETTER_REASON));
        }
        UnitResult result = new UnitResult(unit.unitId(), unit.jobId(), unit.analyzer(), List.of(), files, 0);
        LOG.warnf("unit %s of job %s was dead-lettered: its %d files are named as not analysed", unit.unitId(),
                unit.jobId(), files.size());
        return results.send(toJson(result));
    }

    private Uni<Void> process(WorkUnit unit) {
        StageTimeline timeline = StageTimeline.of(unit.unitId());
        Instant received = timeline.now();
        if (unit.enqueuedAt() != null) {
            timeline.record(Stage.QUEUE, unit.enqueuedAt(), received);
        }
        return Panache.withSession(() -> ProcessedUnit.<ProcessedUnit>findById(unit.unitId())).chain(done -> {
            timeline.since(Stage.DATABASE, received);
            if (done != null) {
                LOG.debugf("unit %s of job %s was processed already; redelivery acknowledged", unit.unitId(), unit.jobId());
                metrics.unitNotProcessed(unit.analyzer(), AnalyzerMetrics.DUPLICATE);
                return Uni.createFrom().voidItem();
            }
            return analysis.run(unit, timeline)
                    .call(result -> results.send(toJson(result)).ifNoItem().after(RESULT_CONFIRMATION)
                            .failWith(() -> new IllegalStateException("the broker did not confirm the result of unit "
                                    + unit.unitId() + " within " + RESULT_CONFIRMATION.toSeconds() + " s")))
                    .invoke(result -> LOG.infof("unit %s of job %s analysed by %s: %d findings, %d files not analysed",
                            unit.unitId(), unit.jobId(), unit.analyzer(), result.findings().size(),
                            result.notAnalyzed().size()))
                    .call(() -> Panache.withTransaction(() -> record(unit)))
                    .invoke(metrics::unitProcessed)
                    .onFailure().invoke(failure -> metrics.unitNotProcessed(unit.analyzer(), AnalyzerMetrics.FAILED))
                    .replaceWithVoid();
        });
    }

    private Uni<Void> record(WorkUnit unit) {
        return ProcessedUnit.<ProcessedUnit>findById(unit.unitId()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            ProcessedUnit processed = new ProcessedUnit();
            processed.unitId = unit.unitId();
            processed.jobId = unit.jobId();
            processed.processedAt = Instant.now();
            return processed.persist().replaceWithVoid();
        });
    }

    private String toJson(UnitResult result) {
        try {
            return json.writeValueAsString(result);
        } catch (Exception e) {
            throw new IllegalStateException("could not serialise the result of unit " + result.unitId(), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
