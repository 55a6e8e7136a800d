package dev.drep.gateway.time;

import java.time.Duration;
import java.util.PriorityQueue;

/** A {@link Ticker} whose time moves only when a test says so; due timers run on the test's thread. */
public final class ManualTicker implements Ticker {

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now = 1_000_000_000L;
    private long sequence;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(long delayNanos, Runnable task) {
        Task scheduled = new Task(now + Math.max(0, delayNanos), sequence++, task);
        tasks.add(scheduled);
        return () -> scheduled.cancelled = true;
    }

    /**
     * Moves time forward, running every timer that falls due on the way, in time order.
     *
     * @param duration how far
     */
    public void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = now + duration.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.at > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.at);
            }
            if (!next.cancelled) {
                next.task.run();
            }
        }
    }

    /** @return timers that are scheduled and not cancelled */
    public synchronized long pendingTimers() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }

    private static final class Task implements Comparable<Task> {
        final long at;
        final long sequence;
        final Runnable task;
        volatile boolean cancelled;

        Task(long at, long sequence, Runnable task) {
            this.at = at;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
