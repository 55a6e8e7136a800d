package dev.drep.analyzer.llm;

import dev.drep.analyzer.cache.PostgresAnalysisCache;
import dev.drep.analyzer.cache.PostgresTokenCeiling;
import dev.drep.contracts.WorkUnit;
import dev.drep.analyzer.metrics.AnalyzerMetrics;
import dev.drep.core.llm.EngineSettings;
import dev.drep.core.llm.FindingVerifier;
import dev.drep.core.llm.VerifierSettings;
import dev.drep.core.llm.LlmFileTask;
import dev.drep.core.llm.LlmUnitEngine;
import dev.drep.core.llm.UnitContext;
import dev.drep.core.llm.UnitOutcome;
import dev.drep.core.profile.StageTimeline;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs LLM analyzers over work units with the core engine ({@link LlmUnitEngine}): the gateway
 * client, the PostgreSQL cache and the job token ceiling plugged in (lowered by the repository's own when the
 * unit carries one), planning and answer parsing on
 * Quarkus' worker pool so the event loop only waits.
 */
@ApplicationScoped
public class LlmAnalysis {
    private final LlmUnitEngine engine;
    private final FindingVerifier verifier;
    private final AnalyzerMetrics metrics;

    /**
     * @param gateway the gateway client
     * @param cache   the analysis cache
     * @param ceiling the per-job token ceiling
     * @param config  batching and limits
     * @param metrics counts what the verifier did
     */
    public LlmAnalysis(LlmGateway gateway, PostgresAnalysisCache cache, PostgresTokenCeiling ceiling,
            AnalyzerConfig config, AnalyzerMetrics metrics) {
        AnalyzerConfig.Llm llm = config.llm();
        EngineSettings settings = new EngineSettings(llm.enabled(), llm.model(), llm.batchTokenBudget(),
                llm.maxItemsPerBatch(), llm.maxParallelCalls(), llm.maxCompletionTokens(),
                llm.expectedCompletionTokens(), llm.maxFindingsPerFile(), llm.maxAnswerChars(),
                config.cache().namespace());
        this.engine = new LlmUnitEngine(gateway, cache, ceiling, settings, Infrastructure.getDefaultWorkerPool());
        AnalyzerConfig.Verify verify = config.verify();
        VerifierSettings verifierSettings = new VerifierSettings(verify.enabled() && llm.enabled(), llm.model(),
                verify.minConfidence(), verify.contextLines(), verify.batchTokenBudget(), verify.maxFindingsPerCall(),
                verify.maxParallelCalls(), verify.maxCompletionTokens(), llm.maxAnswerChars(), config.cache().namespace());
        this.verifier = new FindingVerifier(gateway, cache, ceiling, verifierSettings,
                Infrastructure.getDefaultWorkerPool());
        this.metrics = metrics;
    }

    /**
     * The verifier pass over what a review kept ({@link FindingVerifier}), as the unit's {@code verify} mode says.
     *
     * @param unit     the work unit
     * @param reviewed the review's outcome after grounding
     * @param timeline where the verifier records its database and LLM intervals
     * @return the outcome with refuted findings dropped and unconfirmed ones folded or dropped; never fails for an
     *         LLM or gateway problem
     */
    public Uni<UnitOutcome> verify(WorkUnit unit, UnitOutcome reviewed, StageTimeline timeline) {
        UnitContext context = new UnitContext(unit.jobId(), unit.repository(), unit.priority(), timeline,
                unit.llmTokenCeiling());
        return Uni.createFrom().completionStage(() -> verifier.verify(context, unit.files(), reviewed, unit.verify()))
                .invoke(verified -> metrics.verified(verified.verification()));
    }

    /**
     * @param unit the work unit
     * @param task the analyzer
     * @param timeline where the engine records the unit's database and LLM intervals
     * @return the unit's outcome; never fails for an LLM or gateway problem
     */
    public <S> Uni<UnitOutcome> run(WorkUnit unit, LlmFileTask<S> task, StageTimeline timeline) {
        UnitContext context = new UnitContext(unit.jobId(), unit.repository(), unit.priority(), timeline,
                unit.llmTokenCeiling(), unit.freshAnalysis());
        return Uni.createFrom().completionStage(() -> engine.run(context, unit.files(), task));
    }
}
