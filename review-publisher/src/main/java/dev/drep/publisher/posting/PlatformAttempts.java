package dev.drep.publisher.posting;

import dev.drep.publisher.platform.PlatformException;
import dev.drep.publisher.platform.PublisherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs an idempotent posting procedure against a platform and turns its failures into a
 * {@link PublishOutcome}: an unavailable platform is tried again in place with backoff
 * ({@code drep.publisher.retry.attempts}, {@code backoff}), then deferred to the scheduled retry with a
 * delay that doubles per deferral; a rate limit longer than drep waits in place is deferred until it
 * resets; anything else fails the job. The whole procedure is re-run on each try, which is safe because
 * it skips what the ledger or the platform's markers show as posted.
 */
@ApplicationScoped
public class PlatformAttempts {
    private static final Logger LOG = Logger.getLogger(PlatformAttempts.class);

    private final PublisherConfig config;

    public PlatformAttempts(PublisherConfig config) {
        this.config = config;
    }

    /**
     * @param publication the review being posted
     * @param where       where it goes, for messages (e.g. {@code github acme/docs#12})
     * @param procedure   posts the review; throws {@link PlatformException} on failure
     */
    public PublishOutcome run(Publication publication, String where, Supplier<PublishOutcome> procedure) {
        Duration pause = config.retry().backoff();
        int attempts = Math.max(1, config.retry().attempts());
        for (int attempt = 1; ; attempt++) {
            try {
                return procedure.get();
            } catch (PlatformException e) {
                switch (e.kind()) {
                    case RATE_LIMITED -> {
                        LOG.infof("job %s: %s; posting to %s resumes after %s", publication.jobId(), e.getMessage(),
                                where, e.retryAt());
                        return new PublishOutcome.Deferred(e.retryAt(), e.getMessage());
                    }
                    case UNAVAILABLE -> {
                        if (attempt < attempts) {
                            LOG.warnf("job %s: %s; trying %s again in %d ms (try %d of %d)", publication.jobId(),
                                    e.getMessage(), where, pause.toMillis(), attempt + 1, attempts);
                            sleep(pause);
                            pause = pause.multipliedBy(2);
                            continue;
                        }
                        Duration delay = deferral(publication.deferrals());
                        LOG.warnf("job %s: %s; %s is unavailable, posting is deferred by %d s", publication.jobId(),
                                e.getMessage(), where, delay.toSeconds());
                        return new PublishOutcome.Deferred(Instant.now().plus(delay), e.getMessage());
                    }
                    default -> {
                        return new PublishOutcome.Failed("could not publish the review to " + where + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    /** Delay of the next deferred try: the configured deferral doubled per earlier deferral, capped. */
    Duration deferral(int earlierDeferrals) {
        Duration delay = config.retry().deferral();
        for (int i = 0; i < earlierDeferrals && delay.compareTo(config.retry().maxDeferral()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(config.retry().maxDeferral()) > 0 ? config.retry().maxDeferral() : delay;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
