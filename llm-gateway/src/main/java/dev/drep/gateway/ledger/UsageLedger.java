package dev.drep.gateway.ledger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Writes the usage ledger ({@code gateway.usage_record}), one row per request, off the request's
 * path: the answer never waits for its bookkeeping. Each write runs in a fresh Vert.x duplicated
 * context, because the completion flow ends on whatever thread the provider call finished on and
 * Hibernate Reactive sessions must live on one context.
 */
@ApplicationScoped
public class UsageLedger {

    private static final Logger LOG = Logger.getLogger(UsageLedger.class);

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
        context.runOnContext(ignored -> Panache.withTransaction(record::persist).subscribe().with(
                saved -> {
                },
                failure -> {
                    failures.incrementAndGet();
                    // The prompt is not in the record; what is logged identifies the request only.
                    LOG.errorf("Could not write the usage ledger for job=%s repository=%s alias=%s (%s): %s",
                            entry.job(), entry.repository(), entry.alias(), failure.getClass().getSimpleName(),
                            failure.getMessage());
                }));
    }

    /** @return ledger writes that failed since start-up */
    public long failedWrites() {
        return failures.get();
    }
}
