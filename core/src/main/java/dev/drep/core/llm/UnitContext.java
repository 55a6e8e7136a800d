package dev.drep.core.llm;

import dev.drep.core.profile.StageTimeline;

/**
 * Who a unit's LLM calls are for (sent as {@code X-Drep-*} headers, and the job's token ceiling).
 *
 * @param jobId      the job
 * @param repository the repository's display name
 * @param priority   {@code interactive} or {@code batch}
 * @param timeline   where the engine records its database, LLM-wait and LLM-call intervals for the job profile
 */
public record UnitContext(String jobId, String repository, String priority, StageTimeline timeline) {
    public UnitContext {
        timeline = timeline == null ? StageTimeline.of("") : timeline;
    }

    /** A context whose timeline nobody reads. */
    public UnitContext(String jobId, String repository, String priority) {
        this(jobId, repository, priority, null);
    }
}
