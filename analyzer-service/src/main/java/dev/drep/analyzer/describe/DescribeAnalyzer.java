package dev.drep.analyzer.describe;

import dev.drep.analyzer.cache.PostgresAnalysisCache;
import dev.drep.analyzer.cache.PostgresTokenCeiling;
import dev.drep.analyzer.llm.AnalyzerConfig;
import dev.drep.analyzer.llm.LlmGateway;
import dev.drep.analyzer.unit.UnitAnalyzer;
import dev.drep.contracts.WorkUnit;
import dev.drep.core.describe.WalkthroughEngine;
import dev.drep.core.describe.WalkthroughSettings;
import dev.drep.core.describe.WalkthroughTask;
import dev.drep.core.llm.UnitContext;
import dev.drep.core.llm.UnitOutcome;
import dev.drep.core.profile.StageTimeline;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code describe}: the walkthrough of a pull request from its diff ({@link WalkthroughEngine}), with the gateway, the
 * analysis cache and the job's token ceiling the review uses. The unit's files carry their diffs; its result carries
 * the walkthrough and its usage, never findings or files "not analysed" (a missing walkthrough does not make the review
 * incomplete).
 */
@ApplicationScoped
public class DescribeAnalyzer implements UnitAnalyzer {
    private final WalkthroughEngine engine;

    public DescribeAnalyzer(LlmGateway gateway, PostgresAnalysisCache cache, PostgresTokenCeiling ceiling,
            AnalyzerConfig config) {
        AnalyzerConfig.Describe describe = config.describe();
        this.engine = new WalkthroughEngine(gateway, cache, ceiling, new WalkthroughSettings(config.llm().enabled(),
                config.llm().model(), config.cache().namespace(), describe.maxPromptChars(), describe.complexAboveChars(),
                describe.maxCompletionTokens(), config.llm().maxAnswerChars()));
    }

    @Override
    public String id() {
        return WalkthroughTask.ID;
    }

    @Override
    public Uni<UnitOutcome> analyze(WorkUnit unit, StageTimeline timeline) {
        UnitContext context = new UnitContext(unit.jobId(), unit.repository(), unit.priority(), timeline,
                unit.llmTokenCeiling(), unit.freshAnalysis());
        return Uni.createFrom().completionStage(() -> engine.describe(context, unit.files()))
                .map(described -> UnitOutcome.described(described.walkthrough(), described.usage()));
    }
}
