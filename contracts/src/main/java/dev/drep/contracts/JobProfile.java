package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Where a job's wall time and LLM money went: the measured "bottleneck hierarchy" of one job.
 *
 * @param wallMillis        from acceptance to the final status (or to now, for a running job)
 * @param stages            every {@link Stage}, in declaration order
 * @param unaccountedMillis wall time no service recorded a stage for (message hops not measured, clock skew)
 * @param usage             LLM calls, cache hits, tokens and cost of the job
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobProfile(long wallMillis, List<StageTime> stages, long unaccountedMillis, UnitUsage usage) {
    public JobProfile {
        stages = stages == null ? List.of() : List.copyOf(stages);
        usage = usage == null ? UnitUsage.NONE : usage;
    }
}
