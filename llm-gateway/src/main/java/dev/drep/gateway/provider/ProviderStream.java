package dev.drep.gateway.provider;

import io.smallrye.mutiny.Multi;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The rest of a streamed answer once the provider has accepted the request (HTTP 200,
 * {@code text/event-stream}): the {@code data} of each server-sent event, in order, the last one normally
 * {@code [DONE]}. The events arrive on the HTTP client's event loop; nothing blocks.
 *
 * <p>It can be read once. Cancelling the subscription, or {@link #cancel()} before any subscription, closes the
 * provider connection, so the provider stops generating. A stream that nobody reads must still end, or the provider
 * slot, admission permit and budget reservation it holds would never come back: {@link #closeUnread()} ends it
 * unless a reader has taken it (the client left before its answer was handed over, or nobody took it within the
 * provider timeout). Hooks given to {@link #onEnd(Runnable)} run
 * exactly once, however the stream ends.
 */
public final class ProviderStream {

    /** How a stream ended. */
    public enum End {
        /** The provider closed it (normally after {@code [DONE]}, or cut short). */
        COMPLETED,
        /** The connection broke or timed out. */
        FAILED,
        /** Its reader left (the client went away) or nobody read it: the provider connection was closed. */
        CANCELLED
    }

    private volatile End endedBy;
    private final Multi<String> events;
    private final Runnable close;
    private final List<Runnable> endHooks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Set by the one reader, or by {@link #closeUnread()}: whichever comes first owns the stream's end. */
    private final AtomicBoolean taken = new AtomicBoolean();

    /**
     * @param events the events' {@code data}; ends when the provider closes the stream, fails when the
     *               connection breaks
     * @param close  closes the provider connection at once (for a stream nobody reads)
     */
    public ProviderStream(Multi<String> events, Runnable close) {
        this.close = Objects.requireNonNull(close, "close");
        Objects.requireNonNull(events, "events");
        this.events = Multi.createFrom().deferred(() -> taken.compareAndSet(false, true)
                        ? events
                        : Multi.createFrom().<String>failure(new IllegalStateException(endedBy == null
                                ? "the provider stream is read already" : "the provider stream was closed unread")))
                .onTermination().invoke((failure, cancelled) ->
                        end(cancelled ? End.CANCELLED : failure != null ? End.FAILED : End.COMPLETED));
    }

    /** @return the events' {@code data}; subscribe once */
    public Multi<String> events() {
        return events;
    }

    /** Closes the provider connection of a stream that will not be read. */
    public void cancel() {
        taken.set(true);
        close.run();
        end(End.CANCELLED);
    }

    /**
     * Closes the provider connection and ends the stream ({@link End#CANCELLED}) unless a reader has subscribed; a
     * reader that comes later gets a failure at once.
     *
     * @return whether this call closed it
     */
    public boolean closeUnread() {
        if (!taken.compareAndSet(false, true)) {
            return false;
        }
        close.run();
        end(End.CANCELLED);
        return true;
    }

    /** @return whether a reader has subscribed or the stream was closed unread */
    public boolean taken() {
        return taken.get();
    }

    /** @return how the stream ended, or {@code null} while it runs */
    public End endedBy() {
        return endedBy;
    }

    /**
     * @param hook runs once when the stream ends (completed, failed or cancelled); at once if it has ended
     */
    public void onEnd(Runnable hook) {
        endHooks.add(hook);
        if (ended.get() && endHooks.remove(hook)) {
            hook.run();
        }
    }

    private void end(End how) {
        if (ended.compareAndSet(false, true)) {
            endedBy = how;
            for (Runnable hook : endHooks) {
                if (endHooks.remove(hook)) {
                    hook.run();
                }
            }
        }
    }
}
