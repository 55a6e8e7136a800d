package dev.drep.analyzer.doccomment;

import dev.drep.analyzer.llm.AnalyzerConfig;
import dev.drep.analyzer.llm.LlmAnalysis;
import dev.drep.analyzer.unit.UnitAnalyzer;
import dev.drep.contracts.WorkUnit;
import dev.drep.core.doccomment.DocCommentTask;
import dev.drep.core.llm.UnitOutcome;
import dev.drep.core.profile.StageTimeline;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code doc-comments}: public declarations on changed lines with missing or poor documentation
 * ({@link DocCommentTask}); the model (task class {@code simple}) proposes the text as a suggestion.
 */
@ApplicationScoped
public class DocCommentAnalyzer implements UnitAnalyzer {
    private final LlmAnalysis analysis;
    private final DocCommentTask task;

    /**
     * @param analysis the LLM engine
     * @param config   how many proposals per file
     */
    public DocCommentAnalyzer(LlmAnalysis analysis, AnalyzerConfig config) {
        this.analysis = analysis;
        this.task = new DocCommentTask(config.llm().docProposalsPerFile());
    }

    @Override
    public String id() {
        return DocCommentTask.ID;
    }

    @Override
    public Uni<UnitOutcome> analyze(WorkUnit unit, StageTimeline timeline) {
        return analysis.run(unit, task, timeline);
    }
}
