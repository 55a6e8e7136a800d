package dev.drep.gateway.time;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@link Ticker} on {@link System#nanoTime()} with one daemon timer thread. Timer tasks only move
 * state and complete futures (continuations are dispatched elsewhere), so one thread is enough.
 */
public final class SystemTicker implements Ticker, AutoCloseable {

    private final ScheduledThreadPoolExecutor timer;

    /**
     * @param threadName name of the timer thread, for thread dumps
     */
    public SystemTicker(String threadName) {
        timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        // Cancelled deadlines are the common case (most requests are admitted before their
        // deadline); without this they would pile up in the queue until they expire.
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        var future = timer.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
