package dev.drep.publisher.job;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The retry of stored reviews, on start-up and every {@code drep.publisher.retry.interval}: posts the
 * reviews that are due (deferred because the platform was unavailable or rate limited, left PUBLISHING by a
 * post that stopped unexpectedly, or whose claim ran out because the replica posting them died) and re-sends
 * final events that did not go out. Every replica runs it; the claim ({@link PublicationClaims}) makes exactly
 * one of them post each review.
 */
@ApplicationScoped
public class PublicationRetry {
    private static final Logger LOG = Logger.getLogger(PublicationRetry.class);
    /** A final event not sent this long after its job ended is re-sent by the scheduled retry. */
    private static final Duration UNSENT_EVENT_GRACE = Duration.ofMinutes(1);

    private final ReviewPosting posting;
    /** The start-up pass, the scheduled retry and callers may overlap: one that starts while another runs joins it. */
    private final SharedPass pass = new SharedPass();

    public PublicationRetry(ReviewPosting posting) {
        this.posting = posting;
    }

    @Scheduled(identity = "drep-publication-retry", every = "${drep.publisher.retry.interval:30s}",
            delayed = "${drep.publisher.retry.interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            // before start-up completes the messaging channels are not connected yet
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void retryDue() {
        try {
            // Hibernate Reactive needs a duplicated Vert.x context; the scheduler's worker thread has none
            VertxContextSupport.subscribeAndAwait(() -> resume(Instant.now().minus(UNSENT_EVENT_GRACE)));
        } catch (Throwable e) {
            LOG.error("the scheduled retry of deferred reviews failed", e);
        }
    }

    /**
     * On start-up, posts every review that was stored but not posted before the last stop (unless it was
     * deferred to later, or a live replica is posting it), and sends final events that were not sent.
     */
    void resumeOnStart(@Observes StartupEvent start) {
        // Hibernate Reactive needs a duplicated Vert.x context; VertxContextSupport provides one
        VertxContextSupport.subscribe(() -> resumeStoredReviews().toMulti(), subscribe -> subscribe.with(
                ignored -> { }, failure -> LOG.error("resuming stored reviews failed", failure)));
    }

    /** Posts the stored but unposted reviews that are due and sends the final events that did not go out. */
    public Uni<Void> resumeStoredReviews() {
        return resume(Instant.now());
    }

    /**
     * One pass at a time in this process: the start-up pass, the scheduled retry and a caller may overlap, and a
     * second pass that starts while one runs joins it instead of reading the same rows again (other replicas are
     * kept apart by the claims).
     */
    private Uni<Void> resume(Instant unsentBefore) {
        return Uni.createFrom().deferred(() -> pass.join(() -> resumeOnce(unsentBefore)));
    }

    /**
     * Posts stored reviews that are due and unclaimed (or whose claim expired), each in the background, and
     * re-sends final events of jobs that ended before {@code unsentBefore} (a younger one may be on its way).
     */
    private Uni<Void> resumeOnce(Instant unsentBefore) {
        Instant now = Instant.now();
        // the posts start only once this pass is done with its Hibernate Reactive session (each post has a context
        // of its own anyway, see ReviewPosting.publishInBackground)
        List<String> due = new ArrayList<>();
        return Panache.withSession(() -> TrackedJob.<TrackedJob>list("stage = ?1 and (nextAttemptAt is null or"
                        + " nextAttemptAt <= ?2) and (claimExpiresAt is null or claimExpiresAt < ?2)",
                        TrackedJob.Stage.PUBLISHING, now)
                .invoke(publishing -> publishing.forEach(job -> due.add(job.jobId)))
                .chain(() -> TrackedJob.<TrackedJob>list("stage in ?1 and notified = false and publishedAt <= ?2"
                        + " and (claimExpiresAt is null or claimExpiresAt < ?3)",
                        List.of(TrackedJob.Stage.PUBLISHED, TrackedJob.Stage.FAILED), unsentBefore, now))
                // one after the other: they share this context's Hibernate Reactive session
                .chain(unsent -> Multi.createFrom().iterable(unsent)
                        .onItem().transformToUniAndConcatenate(job -> posting.finalEvent(job))
                        .collect().asList()))
                .invoke(() -> postInBackground(due))
                .chain(events -> Multi.createFrom().iterable(events)
                        // each under a claim: a poster or another replica's pass may be sending it right now
                        .onItem().transformToUniAndConcatenate(posting::resendFinalEvent)
                        .collect().last().replaceWithVoid());
    }

    private void postInBackground(List<String> jobIds) {
        for (String jobId : jobIds) {
            LOG.infof("job %s: posting the stored review", jobId);
            posting.publishInBackground(jobId);
        }
    }
}
