package dev.drep.publisher.job;

import dev.drep.contracts.ReviewTarget;
import dev.drep.publisher.issues.IssuePublisher;
import dev.drep.publisher.local.LocalReviewWriter;
import dev.drep.publisher.metrics.PublisherMetrics;
import dev.drep.publisher.posting.PublishOutcome;
import dev.drep.publisher.posting.Publication;
import dev.drep.publisher.posting.ScopeKeys;
import dev.drep.publisher.pullrequest.PullRequestPublisher;
import jakarta.enterprise.context.ApplicationScoped;

/** Posts a stored review to where its plan says: local files, a pull request, or issues. Blocking. */
@ApplicationScoped
public class ReviewTargets {
    private final LocalReviewWriter local;
    private final PullRequestPublisher pullRequests;
    private final IssuePublisher issues;
    private final PublisherMetrics metrics;

    public ReviewTargets(LocalReviewWriter local, PullRequestPublisher pullRequests, IssuePublisher issues,
            PublisherMetrics metrics) {
        this.local = local;
        this.pullRequests = pullRequests;
        this.issues = issues;
        this.metrics = metrics;
    }

    /**
     * Posts the review; never throws for an expected failure (it is a {@link PublishOutcome.Failed}).
     * Counts the attempt by platform and outcome.
     */
    public PublishOutcome publish(Publication publication) {
        ReviewTarget target = publication.plan().target();
        String platform = target == null || target.pullRequest() == null ? PublisherMetrics.LOCAL
                : target.pullRequest().platform();
        try {
            PublishOutcome outcome = post(publication, target);
            metrics.post(platform, outcome instanceof PublishOutcome.Published ? "published"
                    : outcome instanceof PublishOutcome.Deferred ? "deferred" : "failed");
            return outcome;
        } catch (RuntimeException e) {
            metrics.post(platform, "failed");
            throw e;
        }
    }

    private PublishOutcome post(Publication publication, ReviewTarget target) {
        String kind = target == null ? null : target.kind();
        if (ReviewTarget.PULL_REQUEST.equals(kind)) {
            return pullRequests.publish(publication);
        }
        if (ReviewTarget.ISSUES.equals(kind)) {
            return issues.publish(publication);
        }
        if (ReviewTarget.LOCAL.equals(kind)) {
            try {
                return new PublishOutcome.Published(local.write(publication.review(), target));
            } catch (RuntimeException e) {
                return new PublishOutcome.Failed("could not publish the review: " + e.getMessage());
            }
        }
        return new PublishOutcome.Failed("could not publish the review: unsupported review target '" + kind + "'");
    }

    /**
     * @return the key of the pull request or repository posted to, under which jobs posting to the same
     *         place are serialised; null for local files
     */
    public static String scopeKey(ReviewTarget target) {
        if (target == null || target.pullRequest() == null) {
            return null;
        }
        if (ReviewTarget.PULL_REQUEST.equals(target.kind())) {
            return ScopeKeys.pullRequest(target.pullRequest());
        }
        return ReviewTarget.ISSUES.equals(target.kind()) ? ScopeKeys.issues(target.pullRequest()) : null;
    }
}
