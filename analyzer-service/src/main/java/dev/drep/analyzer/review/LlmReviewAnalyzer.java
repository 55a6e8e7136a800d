package dev.drep.analyzer.review;

import dev.drep.analyzer.llm.AnalyzerConfig;
import dev.drep.analyzer.llm.LlmAnalysis;
import dev.drep.analyzer.unit.UnitAnalyzer;
import dev.drep.contracts.WorkUnit;
import dev.drep.core.llm.LlmReviewTask;
import dev.drep.core.llm.UnitOutcome;
import dev.drep.core.profile.StageTimeline;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code llm-review}: the model reviews the changed lines of each file ({@link LlmReviewTask}, task class
 * {@code complex}), then the verifier confirms or refutes what grounding kept (task class {@code verify}).
 */
@ApplicationScoped
public class LlmReviewAnalyzer implements UnitAnalyzer {
    private final LlmAnalysis analysis;
    private final LlmReviewTask task;

    /**
     * @param analysis the LLM engine
     * @param config   context lines, chunk size and file size limit
     */
    public LlmReviewAnalyzer(LlmAnalysis analysis, AnalyzerConfig config) {
        this.analysis = analysis;
        this.task = new LlmReviewTask(config.llm().contextLines(), config.llm().chunkChars(), config.llm().maxFileChars());
    }

    @Override
    public String id() {
        return LlmReviewTask.ID;
    }

    @Override
    public Uni<UnitOutcome> analyze(WorkUnit unit, StageTimeline timeline) {
        return analysis.run(unit, task, timeline).chain(reviewed -> analysis.verify(unit, reviewed, timeline));
    }
}
