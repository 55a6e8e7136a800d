package dev.drep.gateway.ledger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Writes the usage ledger ({@code gateway.usage_record}), one row per request, off the request's
 * path: the answer never waits for its bookkeeping. A failed write is tried again for about 45 s (back-off from 1 s),
 * so a database restart loses no row; a write that fails throughout is logged and counted. Each write runs in a fresh Vert.x duplicated
 * context, because the completion flow ends on whatever thread the provider call finished on and
 * Hibernate Reactive sessions must live on one context.
 */
@ApplicationScoped
public class UsageLedger {

    private static final Logger LOG = Logger.getLogger(UsageLedger.class);

    // a database restart or fail-over (seconds), not a long outage: 1 + 2 + 4 + 8 + 15 + 15 s
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(15);
    private static final int RETRIES = 6;

    private final Vertx vertx;
    private final AtomicLong failures = new AtomicLong();

    /**
     * @param vertx the application's Vert.x
     */
    public UsageLedger(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Records one request; returns at once.
     *
     * @param entry what the request cost and how it went
     */
    public void record(UsageEntry entry) {
        UsageRecord record = entry.toRecord();
        Context context = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        // each attempt on the context (a back-off delay resumes on a timer thread); the same id every time, so a
        // write that committed but whose answer was lost fails again as a duplicate instead of counting twice
        Uni<UsageRecord> write = Uni.createFrom().emitter(emitter -> context.runOnContext(ignored ->
                Panache.withTransaction(record::<UsageRecord>persist).subscribe().with(emitter::complete, emitter::fail)));
        write.onFailure().retry().withBackOff(FIRST_RETRY, LONGEST_RETRY).atMost(RETRIES).subscribe().with(
                saved -> {
                },
                failure -> {
                    failures.incrementAndGet();
                    // The prompt is not in the record; what is logged identifies the request only.
                    LOG.errorf("Could not write the usage ledger for job=%s repository=%s alias=%s (%s): %s",
                            entry.job(), entry.repository(), entry.alias(), failure.getClass().getSimpleName(),
                            failure.getMessage());
                });
    }

    /** @return ledger writes that failed since start-up */
    public long failedWrites() {
        return failures.get();
    }
}
