package dev.drep.analyzer.metrics;

import dev.drep.contracts.UnitResult;
import dev.drep.core.llm.DropReason;
import dev.drep.core.llm.UnitOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The analyzer's meters, named {@code drep.analyzer.*} (Prometheus: {@code drep_analyzer_*}; listed in
 * docs/observability.md): units by analyzer and outcome with their analysis time, analysis cache
 * lookups, calls to the LLM gateway by outcome, and the model's findings dropped by reason.
 */
@ApplicationScoped
public class AnalyzerMetrics {
    /** Outcome of a unit whose every file was analysed. */
    public static final String OK = "ok";
    /** Outcome of a unit with files (or parts) named as not analysed, with the reason. */
    public static final String PARTIAL = "partial";
    /** Outcome of a unit whose processing failed; the broker redelivers it. */
    public static final String FAILED = "failed";
    /** Outcome of a redelivered unit that was processed already and is acknowledged with no new result. */
    public static final String DUPLICATE = "duplicate";

    private final MeterRegistry registry;
    private final Counter cacheHits;
    private final Counter cacheMisses;

    /** @param registry Micrometer */
    public AnalyzerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.cacheHits = cacheLookups("hit");
        this.cacheMisses = cacheLookups("miss");
        for (String outcome : new String[] {"ok", "refused", "busy", "unavailable", "circuit_open", "timeout", "error"}) {
            llmCalls(outcome);
        }
        deadLetters("drep.analysis.requests").increment(0);
        for (String outcome : new String[] {"recovered", "gave_up"}) {
            llmWaits(outcome);
        }
        for (DropReason reason : DropReason.values()) {
            findingsDropped(reason.tag());
        }
        for (String verdict : new String[] {"confirmed", "refuted", "unconfirmed"}) {
            verdicts(verdict);
        }
        for (String outcome : new String[] {"read", "unusable", "failed"}) {
            verifierAnswers(outcome);
        }
    }

    /**
     * What the verifier did with one unit's findings.
     *
     * @param verification its counts
     */
    public void verified(UnitOutcome.Verification verification) {
        verdicts("confirmed").increment(verification.confirmed());
        verdicts("refuted").increment(verification.refuted());
        verdicts("unconfirmed").increment(verification.unconfirmed());
        verifierAnswers("read").increment(verification.readAnswers());
        verifierAnswers("unusable").increment(verification.unusableAnswers());
        verifierAnswers("failed").increment(verification.failedCalls());
    }

    private Counter verdicts(String verdict) {
        return Counter.builder("drep.analyzer.verifier.verdicts").tag("verdict", verdict)
                .description("Grounded findings the verifier confirmed, refuted or left unconfirmed").register(registry);
    }

    private Counter verifierAnswers(String outcome) {
        return Counter.builder("drep.analyzer.verifier.calls").tag("outcome", outcome)
                .description("Verifier calls by outcome: read, unusable (not the asked-for JSON, e.g. prose) or "
                        + "failed (refused, failed for good, or over the job's token ceiling)").register(registry);
    }

    /** A unit's result is published and the unit recorded as processed. */
    public void unitProcessed(UnitResult result) {
        units(result.analyzer(), result.notAnalyzed().isEmpty() ? OK : PARTIAL).increment();
        result.droppedFindings().forEach((reason, n) -> findingsDropped(reason).increment(n));
        Timer.builder("drep.analyzer.unit.duration").tag("analyzer", label(result.analyzer()))
                .description("Time spent analysing a unit").publishPercentileHistogram()
                .register(registry).record(Duration.ofMillis(result.durationMillis()));
    }

    /**
     * A unit ended without a new result.
     *
     * @param analyzer the unit's analyzer
     * @param outcome  {@link #FAILED} or {@link #DUPLICATE}
     */
    public void unitNotProcessed(String analyzer, String outcome) {
        units(analyzer, outcome).increment();
    }

    /**
     * Analysis cache lookups, one per file looked up.
     *
     * @param hits   files found in the cache
     * @param misses files not found
     */
    public void cacheLookups(int hits, int misses) {
        cacheHits.increment(hits);
        cacheMisses.increment(misses);
    }

    /**
     * A call to the LLM gateway ended.
     *
     * @param outcome {@code ok}, {@code refused} (budget, rate limit, rejected request), {@code unavailable}
     *                (5xx, unreachable, unreadable answer), {@code circuit_open}, {@code timeout} or {@code error}
     */
    public void llmCall(String outcome) {
        llmCalls(outcome).increment();
    }

    private Counter units(String analyzer, String outcome) {
        return Counter.builder("drep.analyzer.units").tag("analyzer", label(analyzer)).tag("outcome", outcome)
                .description("Work units handled by this replica").register(registry);
    }

    private Counter findingsDropped(String reason) {
        return Counter.builder("drep.analyzer.findings.dropped").tag("reason", reason)
                .description("Findings of the model dropped before leaving the analyzer (not grounded in the code, a "
                        + "suggestion that does not apply, ...), by reason").register(registry);
    }

    private Counter cacheLookups(String outcome) {
        return Counter.builder("drep.analyzer.cache.lookups").tag("outcome", outcome)
                .description("Analysis cache lookups, per file").register(registry);
    }

    /**
     * A call that waited for an unavailable gateway ended the wait.
     *
     * @param outcome {@code recovered} (answered after waiting) or {@code gave_up} (the patience ran out)
     */
    public void llmWait(String outcome) {
        llmWaits(outcome).increment();
    }

    /**
     * A dead-lettered message was taken from its dead-letter queue.
     *
     * @param queue the queue it died on, e.g. {@code drep.analysis.requests}
     */
    public void deadLetter(String queue) {
        deadLetters(queue).increment();
    }

    private Counter deadLetters(String queue) {
        return Counter.builder("drep.analyzer.dead.letters").tag("queue", queue)
                .description("Dead-lettered messages taken from a dead-letter queue, by the queue they died on")
                .register(registry);
    }

    private Counter llmWaits(String outcome) {
        return Counter.builder("drep.analyzer.llm.waits").tag("outcome", outcome)
                .description("LLM calls that waited for an unavailable gateway, by how the wait ended")
                .register(registry);
    }

    private Counter llmCalls(String outcome) {
        return Counter.builder("drep.analyzer.llm.calls").tag("outcome", outcome)
                .description("Calls to the LLM gateway (after the analyzer's retries)").register(registry);
    }

    private static String label(String analyzer) {
        return analyzer == null || analyzer.isBlank() ? "unknown" : analyzer;
    }
}
