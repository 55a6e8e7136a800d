package dev.drep.publisher.job;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The scheduled retry of stored reviews: every {@code drep.publisher.retry.interval} it posts the
 * reviews that are due (deferred because the platform was unavailable or rate limited, or left
 * PUBLISHING by a post that stopped unexpectedly) and re-sends final events that did not go out. Every
 * replica runs it; the job row lock ({@code SKIP LOCKED}) makes exactly one of them post each review.
 */
@ApplicationScoped
public class PublicationRetry {
    private static final Logger LOG = Logger.getLogger(PublicationRetry.class);

    private final ReviewCompletion completion;

    public PublicationRetry(ReviewCompletion completion) {
        this.completion = completion;
    }

    @Scheduled(identity = "drep-publication-retry", every = "${drep.publisher.retry.interval:30s}",
            delayed = "${drep.publisher.retry.interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            // before start-up completes the messaging channels are not connected yet
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void retryDue() {
        try {
            // Hibernate Reactive needs a duplicated Vert.x context; the scheduler's worker thread has none
            VertxContextSupport.subscribeAndAwait(completion::retryDue);
        } catch (Throwable e) {
            LOG.error("the scheduled retry of deferred reviews failed", e);
        }
    }
}
