package dev.drep.core.llm;

import dev.drep.core.profile.StageTimeline;

/**
 * Who a unit's LLM calls are for (sent as {@code X-Drep-*} headers, and the job's token ceiling).
 *
 * @param jobId                the job
 * @param repository           the repository's display name
 * @param priority             {@code interactive} or {@code batch}
 * @param timeline             where the engine records its database, LLM-wait and LLM-call intervals for the job profile
 * @param repositoryTokenCeiling the repository's own token ceiling for the job ({@code max-llm-tokens} in
 *                             {@code .drep.yaml}), or null; the engine applies the lower of it and the service's
 * @param freshAnalysis        the job asked for an analysis that ignores the caches ({@code /drep review}): nothing
 *                             is looked up in the analysis cache and the gateway is asked to bypass its own (answers
 *                             are still stored)
 */
public record UnitContext(String jobId, String repository, String priority, StageTimeline timeline,
        Long repositoryTokenCeiling, boolean freshAnalysis) {
    public UnitContext {
        timeline = timeline == null ? StageTimeline.of("") : timeline;
    }

    /** A context that may use the caches. */
    public UnitContext(String jobId, String repository, String priority, StageTimeline timeline,
            Long repositoryTokenCeiling) {
        this(jobId, repository, priority, timeline, repositoryTokenCeiling, false);
    }

    /** A context without a repository token ceiling. */
    public UnitContext(String jobId, String repository, String priority, StageTimeline timeline) {
        this(jobId, repository, priority, timeline, null);
    }

    /** A context whose timeline nobody reads. */
    public UnitContext(String jobId, String repository, String priority) {
        this(jobId, repository, priority, null, null);
    }
}
