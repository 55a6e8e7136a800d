package dev.drep.publisher.posting;

import dev.drep.contracts.JobPlan;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.Review;
import dev.drep.contracts.Severity;
import java.time.Instant;
import java.util.Set;

/**
 * A stored review about to be posted, with what posting needs to know about its job.
 *
 * @param jobId           the job
 * @param jobCreatedAt    when the publisher registered the job (orders pushes to the same pull request)
 * @param deferrals       how often posting was already deferred because the platform was unavailable
 * @param plan            the job's plan (target, settings)
 * @param review          the composed review from the outbox
 * @param receivedUnitIds units whose result is in (a planned unit missing here makes the review incomplete)
 */
public record Publication(String jobId, Instant jobCreatedAt, int deferrals, JobPlan plan, Review review,
        Set<String> receivedUnitIds) {
    public Publication {
        receivedUnitIds = receivedUnitIds == null ? Set.of() : Set.copyOf(receivedUnitIds);
    }

    /** @return the plan's settings with any missing severity replaced by its default */
    public PublishSettings settings() {
        PublishSettings s = plan.settings();
        Severity minimum = s.minimumSeverity() == null ? PublishSettings.DEFAULTS.minimumSeverity() : s.minimumSeverity();
        Severity failOn = s.failOn() == null ? PublishSettings.DEFAULTS.failOn() : s.failOn();
        return new PublishSettings(minimum, Math.max(0, s.maxInlineComments()), failOn, s.onIncomplete(),
                Math.max(0, s.maxCommentsPerFile()), s.suppressRules(), s.describe());
    }
}
