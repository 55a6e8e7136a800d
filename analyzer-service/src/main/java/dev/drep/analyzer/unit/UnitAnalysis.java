package dev.drep.analyzer.unit;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Stage;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.UnitUsage;
import dev.drep.contracts.WorkUnit;
import dev.drep.core.llm.DropReason;
import dev.drep.core.llm.UnitOutcome;
import dev.drep.core.profile.StageTimeline;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Runs a unit's analyzer and builds its result. Deterministic {@link FileAnalyzer}s run file by file
 * on a worker thread and keep the findings on added or changed lines; asynchronous
 * {@link UnitAnalyzer}s (the LLM analyzers) take the whole unit. A file an analyzer fails on is named
 * as not analysed with the reason; the other files still count. The returned Uni emits on the
 * caller's Vert.x context, where the consumer's database work has to continue.
 */
@ApplicationScoped
public class UnitAnalysis {
    private static final Logger LOG = Logger.getLogger(UnitAnalysis.class);

    private final Map<String, FileAnalyzer> fileAnalyzers = new HashMap<>();
    private final Map<String, UnitAnalyzer> unitAnalyzers = new HashMap<>();
    private final Vertx vertx;

    /**
     * @param files deterministic per-file analyzers
     * @param units asynchronous per-unit analyzers
     * @param vertx runs blocking analysis on a worker
     */
    public UnitAnalysis(Instance<FileAnalyzer> files, Instance<UnitAnalyzer> units, Vertx vertx) {
        files.forEach(a -> fileAnalyzers.put(a.id(), a));
        units.forEach(a -> unitAnalyzers.put(a.id(), a));
        this.vertx = vertx;
    }

    /**
     * @param unit     the unit
     * @param timeline the unit's timeline: the analysis is recorded as {@link Stage#ANALYSIS}, with the database
     *                 and LLM intervals the analyzers record inside it
     * @return the unit's result, carrying the timeline's spans; never fails for a problem with one file or with
     *         the LLM
     */
    public Uni<UnitResult> run(WorkUnit unit, StageTimeline timeline) {
        Instant started = timeline.now();
        return analyze(unit, timeline).map(result -> {
            timeline.since(Stage.ANALYSIS, started);
            return withLineTexts(result, unit).withStages(timeline.spans());
        });
    }

    /**
     * Every finding on a line gets the line's text from the unit (whatever analyzer made it): the publisher
     * recognises a finding across pushes by rule, path and line text.
     */
    static UnitResult withLineTexts(UnitResult result, WorkUnit unit) {
        Map<String, FileToAnalyze> files = new HashMap<>();
        unit.files().forEach(f -> files.put(f.path(), f));
        return new UnitResult(result.unitId(), result.jobId(), result.analyzer(), withLineTexts(result.findings(), files),
                result.notAnalyzed(), result.durationMillis(), withLineTexts(result.summaryFindings(), files),
                result.usage(), result.stages(), result.droppedFindings(),
                withLineTexts(result.lowConfidenceFindings(), files), result.walkthrough());
    }

    private static List<Finding> withLineTexts(List<Finding> findings, Map<String, FileToAnalyze> files) {
        List<Finding> filled = new ArrayList<>(findings.size());
        for (Finding finding : findings) {
            FileToAnalyze file = files.get(finding.path());
            boolean known = finding.lineText() != null || file == null || finding.line() < 1;
            filled.add(known ? finding : finding.withLineText(file.lineText(finding.line())));
        }
        return filled;
    }

    private Uni<UnitResult> analyze(WorkUnit unit, StageTimeline timeline) {
        long start = System.nanoTime();
        UnitAnalyzer async = unitAnalyzers.get(unit.analyzer());
        if (async == null) {
            return vertx.executeBlocking(Uni.createFrom().item(() -> runFiles(unit, start)));
        }
        Context caller = io.vertx.core.Vertx.currentContext();
        Uni<UnitOutcome> outcome = Uni.createFrom().deferred(() -> async.analyze(unit, timeline))
                .onFailure().recoverWithItem(e -> failed(unit, e));
        if (caller != null) {
            outcome = outcome.emitOn(command -> caller.runOnContext(ignored -> command.run()));
        }
        return outcome.map(o -> new UnitResult(unit.unitId(), unit.jobId(), unit.analyzer(), o.findings(),
                o.notAnalyzed(), millisSince(start), o.summaryFindings(), o.usage(), List.of(), byTag(o.dropped()),
                o.lowConfidence(), o.walkthrough()));
    }

    private static Map<String, Integer> byTag(Map<DropReason, Integer> dropped) {
        Map<String, Integer> tags = new HashMap<>();
        dropped.forEach((reason, n) -> tags.put(reason.tag(), n));
        return tags;
    }

    private UnitOutcome failed(WorkUnit unit, Throwable error) {
        LOG.errorf(error, "analyzer %s failed on unit %s (job %s)", unit.analyzer(), unit.unitId(), unit.jobId());
        List<NotAnalyzed> notAnalyzed = new ArrayList<>();
        for (FileToAnalyze file : unit.files()) {
            notAnalyzed.add(new NotAnalyzed(file.path(), "analyzer " + unit.analyzer() + " failed: " + error));
        }
        return new UnitOutcome(List.of(), List.of(), notAnalyzed, UnitUsage.NONE);
    }

    private UnitResult runFiles(WorkUnit unit, long start) {
        List<Finding> findings = new ArrayList<>();
        List<NotAnalyzed> notAnalyzed = new ArrayList<>();
        FileAnalyzer analyzer = fileAnalyzers.get(unit.analyzer());
        for (FileToAnalyze file : unit.files()) {
            if (analyzer == null) {
                notAnalyzed.add(new NotAnalyzed(file.path(), "unknown analyzer '" + unit.analyzer() + "'"));
                continue;
            }
            if (file.content() == null) {
                notAnalyzed.add(new NotAnalyzed(file.path(), "the work unit carried no content for this file"));
                continue;
            }
            try {
                for (Finding finding : analyzer.analyze(file)) {
                    if (file.isChanged(finding.line())) {
                        findings.add(finding);
                    }
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "analyzer %s failed on %s (job %s)", unit.analyzer(), file.path(), unit.jobId());
                notAnalyzed.add(new NotAnalyzed(file.path(), "analyzer " + unit.analyzer() + " failed: " + e));
            }
        }
        return new UnitResult(unit.unitId(), unit.jobId(), unit.analyzer(), findings, notAnalyzed, millisSince(start));
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
