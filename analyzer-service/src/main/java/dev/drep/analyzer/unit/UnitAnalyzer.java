package dev.drep.analyzer.unit;

import dev.drep.contracts.WorkUnit;
import dev.drep.core.llm.UnitOutcome;
import dev.drep.core.profile.StageTimeline;
import io.smallrye.mutiny.Uni;

/**
 * An analyzer that looks at a whole work unit at once and works asynchronously (the LLM analyzers:
 * they batch the unit's files into few calls). Implementations are CDI beans found by {@link #id()}.
 */
public interface UnitAnalyzer {

    /** @return the id work units name, e.g. {@code llm-review} */
    String id();

    /**
     * @param unit     the unit
     * @param timeline where database, LLM-wait and LLM-call intervals of the unit are recorded
     * @return findings, summary findings, files not analysed and LLM usage; files that could not be
     *         analysed are named, the Uni fails only on a programming error
     */
    Uni<UnitOutcome> analyze(WorkUnit unit, StageTimeline timeline);
}
