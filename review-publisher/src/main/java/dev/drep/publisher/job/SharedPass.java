package dev.drep.publisher.job;

import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * One pass at a time in this process: a caller that asks while a pass runs joins it instead of starting another.
 * The pass is built by whoever subscribes to it first, on that subscriber's Vert.x context, and runs there: a
 * Hibernate Reactive pass keeps its session in the context it was built on ({@code Panache.withSession} captures
 * it), so building it on one caller's context and running it on another's loses the session ("No current
 * Mutiny.Session found") or leaves it open where the next pass of that context picks it up. Joiners get the outcome
 * on the context of the pass.
 */
final class SharedPass {
    /** The pass running in this process, if any. */
    private Uni<Void> inFlight;

    /**
     * @param pass builds a new pass (on the context of its first subscriber) when none runs; unused when one does
     * @return the running pass, or a new one
     */
    synchronized Uni<Void> join(Supplier<Uni<Void>> pass) {
        if (inFlight == null) {
            inFlight = Uni.createFrom().<Void>deferred(pass::get).onTermination().invoke(this::ended)
                    .memoize().indefinitely();
        }
        return inFlight;
    }

    private synchronized void ended() {
        inFlight = null;
    }
}
