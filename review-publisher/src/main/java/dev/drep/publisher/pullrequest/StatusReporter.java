package dev.drep.publisher.pullrequest;

import dev.drep.contracts.JobPlan;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.publisher.platform.CommitState;
import dev.drep.publisher.platform.PlatformException;
import dev.drep.publisher.platform.PlatformTarget;
import dev.drep.publisher.platform.Platforms;
import dev.drep.publisher.platform.PublisherConfig;
import dev.drep.publisher.platform.ReviewPlatform;
import dev.drep.publisher.platform.TokenResolver;
import dev.drep.publisher.posting.PostingLedger;
import dev.drep.publisher.posting.ScopeKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * drep's commit status (Gitea, GitLab) or check run (GitHub) on a pull request's head commit, the
 * check branch protection can require: pending while the review runs, then the {@link ReviewVerdict}.
 */
@ApplicationScoped
public class StatusReporter {
    private static final Logger LOG = Logger.getLogger(StatusReporter.class);

    private final Platforms platforms;
    private final TokenResolver tokens;
    private final PostingLedger ledger;
    private final PublisherConfig config;

    public StatusReporter(Platforms platforms, TokenResolver tokens, PostingLedger ledger, PublisherConfig config) {
        this.platforms = platforms;
        this.tokens = tokens;
        this.ledger = ledger;
        this.config = config;
    }

    /**
     * Sets "pending" when the scanner registers a pull-request job. The scanner waits for the
     * registration, so this is one try with a short timeout and no rate-limit wait; a failure is logged
     * and otherwise ignored (the final status is what branch protection reads, and it is retried).
     */
    public void pending(String jobId, JobPlan plan) {
        ReviewTarget target = plan.target();
        if (target == null || !ReviewTarget.PULL_REQUEST.equals(target.kind()) || target.pullRequest() == null) {
            return;
        }
        PullRequestRef ref = PullRequestPublisher.completed(target.pullRequest(), plan);
        try {
            ReviewPlatform platform = platforms.get(ref.platform());
            PlatformTarget on = new PlatformTarget(ref, tokens.resolve(ref.tokenRef()), Duration.ZERO,
                    config.status().pendingTimeout());
            String id = platform.setStatus(on, ref.headSha(), CommitState.PENDING, "drep is reviewing this change", null);
            ledger.saveStatus(jobId, id, state(CommitState.PENDING));
        } catch (PlatformException e) {
            LOG.warnf("job %s: could not set the pending status on %s: %s", jobId, ScopeKeys.describe(ref), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("job %s: could not set the pending status on %s: %s", jobId, ScopeKeys.describe(ref), e.toString());
        }
    }

    /**
     * Sets the verdict. An unavailable or rate-limited platform propagates (the whole post is retried);
     * a permanent refusal (e.g. a GitHub token that may not create check runs) is logged: the review
     * itself is posted and should not be lost over its status.
     */
    void finish(ReviewPlatform platform, PlatformTarget target, String jobId, ReviewVerdict verdict) {
        Optional<PostingLedger.Status> known = ledger.status(jobId);
        if (known.isPresent() && state(verdict.state()).equals(known.get().state())) {
            return;
        }
        try {
            String id = platform.setStatus(target, target.headSha(), verdict.state(), verdict.description(),
                    known.map(PostingLedger.Status::platformId).orElse(null));
            ledger.saveStatus(jobId, id, state(verdict.state()));
        } catch (PlatformException e) {
            if (e.kind() == PlatformException.Kind.UNAVAILABLE || e.kind() == PlatformException.Kind.RATE_LIMITED) {
                throw e;
            }
            LOG.warnf("job %s: the review is posted but its status could not be set: %s", jobId, e.getMessage());
        }
    }

    /**
     * The scanner ended the job as FAILED without the publisher (its deadline passed): a failure status with the
     * reason on the head commit. An unavailable or rate-limited platform propagates, so that the scanner tells the
     * publisher again later; a permanent refusal is logged.
     *
     * @param ref the pull request, with its head commit
     */
    public void failedWithoutReview(String jobId, PullRequestRef ref, String reason) {
        ReviewPlatform platform = platforms.get(ref.platform());
        PlatformTarget on = new PlatformTarget(ref, tokens.resolve(ref.tokenRef()), Duration.ZERO,
                config.status().pendingTimeout());
        String description = reason.length() <= 140 ? reason : reason.substring(0, 139) + "…";
        try {
            String id = platform.setStatus(on, ref.headSha(), CommitState.FAILURE, description,
                    ledger.status(jobId).map(PostingLedger.Status::platformId).orElse(null));
            ledger.saveStatus(jobId, id, state(CommitState.FAILURE));
        } catch (PlatformException e) {
            if (e.kind() == PlatformException.Kind.UNAVAILABLE || e.kind() == PlatformException.Kind.RATE_LIMITED) {
                throw e;
            }
            LOG.warnf("job %s: could not set the failure status on %s: %s", jobId, ScopeKeys.describe(ref), e.getMessage());
        }
    }

    /** After a job failed for good: a failure status if at all possible, so that nothing stays pending. */
    void failQuietly(String jobId, PullRequestRef ref, String reason) {
        try {
            ReviewPlatform platform = platforms.get(ref.platform());
            PlatformTarget on = new PlatformTarget(ref, tokens.resolve(ref.tokenRef()), Duration.ZERO,
                    config.status().pendingTimeout());
            String description = reason.length() <= 140 ? reason : reason.substring(0, 139) + "…";
            String id = platform.setStatus(on, ref.headSha(), CommitState.FAILURE, description,
                    ledger.status(jobId).map(PostingLedger.Status::platformId).orElse(null));
            ledger.saveStatus(jobId, id, state(CommitState.FAILURE));
        } catch (RuntimeException e) {
            LOG.warnf("job %s: could not set the failure status either: %s", jobId, e.getMessage());
        }
    }

    private static String state(CommitState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
