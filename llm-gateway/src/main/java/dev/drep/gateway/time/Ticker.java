package dev.drep.gateway.time;

/**
 * Monotonic time and one-shot timers for the gateway's Quarkus-free policy classes (admission,
 * circuit breaking, adaptive concurrency). Production uses {@link SystemTicker}; unit tests use a
 * manual one, so window and timeout behaviour is tested without sleeping.
 */
public interface Ticker {

    /** @return a monotonic time in nanoseconds, comparable only with other values of this ticker */
    long nanoTime();

    /**
     * Runs {@code task} once, about {@code delayNanos} from now, on a thread of the ticker's choice.
     *
     * @param delayNanos how long to wait; zero or negative runs the task as soon as possible
     * @param task       what to run; must not block
     * @return a handle to cancel the task before it runs
     */
    Cancellable schedule(long delayNanos, Runnable task);

    /** A scheduled task that can still be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task; no effect once it ran. */
        void cancel();
    }
}
