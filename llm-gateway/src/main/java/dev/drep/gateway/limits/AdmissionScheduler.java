package dev.drep.gateway.limits;

import dev.drep.gateway.metadata.Priority;
import dev.drep.gateway.time.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decides when a request may go to a provider: at most {@code maxConcurrent} at once, at most
 * {@code maxConcurrentPerRepository} per repository, at most {@code requestsPerWindow} and
 * {@code tokensPerWindow} (estimated before the call, corrected with the actual usage after it) per
 * sliding window.
 *
 * <p>Waiting requests are served interactive before batch and, within a priority, round-robin
 * over repositories, so one busy repository cannot starve the others. A request whose token
 * estimate does not fit the token window holds back everything behind it (rather than letting
 * smaller requests overtake it forever); a single request larger than the whole token window is
 * admitted once the window is empty. Requests without a repository share the bucket
 * {@value #DEFAULT_BUCKET}.
 *
 * <p>Nothing blocks: {@link #acquire} returns a future that completes with a {@link Permit}, or
 * fails with {@link AdmissionRejectedException} when the queue is full, when the rate window alone
 * guarantees a wait beyond {@code maxWait}, or when the request has waited {@code maxWait}.
 * Futures are completed outside the scheduler's lock, on the thread that freed capacity (a caller
 * of {@link Permit#release} or the ticker's timer thread), so continuations must not block.
 * Cancelling a waiting future removes the request from the queue.
 */
public final class AdmissionScheduler {

    /** Bucket of requests that name no repository. */
    public static final String DEFAULT_BUCKET = "(none)";

    private static final long MIN_RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final AdmissionLimits limits;
    private final Ticker ticker;
    private final long windowNanos;
    private final long maxWaitNanos;

    private final ReentrantLock lock = new ReentrantLock();
    private final EnumMap<Priority, Lane> lanes = new EnumMap<>(Priority.class);
    private final Map<String, Integer> inFlightByRepository = new HashMap<>();
    /** Admission times inside the current window, oldest first. */
    private final ArrayDeque<Long> admissions = new ArrayDeque<>();
    /** Token charges inside the current window, oldest first. */
    private final ArrayDeque<Charge> charges = new ArrayDeque<>();
    private int inFlight;
    private long tokensInWindow;
    private long averageHoldNanos;
    private Ticker.Cancellable wake;
    private long wakeAt = Long.MAX_VALUE;

    /**
     * @param limits the limits
     * @param ticker time and timers
     */
    public AdmissionScheduler(AdmissionLimits limits, Ticker ticker) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.windowNanos = limits.window().toNanos();
        this.maxWaitNanos = limits.maxWait().toNanos();
        for (Priority priority : Priority.values()) {
            lanes.put(priority, new Lane());
        }
    }

    /** @return the limits this scheduler enforces */
    public AdmissionLimits limits() {
        return limits;
    }

    /**
     * Asks to send one request.
     *
     * @param repository      the repository it is for, or {@code null} for the default bucket
     * @param priority        interactive requests are served before batch ones
     * @param estimatedTokens the token estimate charged to the token window until the permit is released
     * @return a future of the permit; it fails with {@link AdmissionRejectedException} when the
     *         request is refused
     */
    public CompletableFuture<Permit> acquire(String repository, Priority priority, long estimatedTokens) {
        Objects.requireNonNull(priority, "priority");
        Waiter waiter = new Waiter(bucket(repository), priority, Math.max(0, estimatedTokens), ticker.nanoTime());
        List<Runnable> completions = new ArrayList<>(2);
        lock.lock();
        try {
            long now = waiter.enqueuedAt;
            expireWindows(now);
            long earliest = earliestByRate(queuedAhead(priority) + 1, now);
            lanes.get(priority).add(waiter);
            dispatch(now, completions);
            if (!waiter.done) {
                // Only a request that has to wait can be refused for waiting.
                if (queuedCount() > limits.maxQueued()) {
                    lanes.get(priority).remove(waiter, false);
                    reject(waiter, AdmissionRejectedException.Reason.QUEUE_FULL, suggestedRetryAfter(now), completions);
                } else if (earliest - now > maxWaitNanos) {
                    lanes.get(priority).remove(waiter, false);
                    reject(waiter, AdmissionRejectedException.Reason.WAIT_TOO_LONG, earliest - now, completions);
                } else {
                    waiter.deadline = ticker.schedule(maxWaitNanos, () -> expire(waiter));
                }
            }
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
        waiter.future.whenComplete((permit, failure) -> {
            if (waiter.future.isCancelled()) {
                cancel(waiter);
            }
        });
        return waiter.future;
    }

    /** @return what the scheduler holds right now, for metrics and diagnostics */
    public Snapshot snapshot() {
        lock.lock();
        try {
            expireWindows(ticker.nanoTime());
            return new Snapshot(inFlight, new TreeMap<>(inFlightByRepository),
                    lanes.get(Priority.INTERACTIVE).size, lanes.get(Priority.BATCH).size,
                    admissions.size(), tokensInWindow);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The scheduler's state at one moment.
     *
     * @param inFlight             admitted and not yet released
     * @param inFlightByRepository the same per repository bucket (buckets with none left out)
     * @param queuedInteractive    interactive requests waiting
     * @param queuedBatch          batch requests waiting
     * @param requestsInWindow     admissions inside the current rate window
     * @param tokensInWindow       tokens charged inside the current rate window
     */
    public record Snapshot(int inFlight, Map<String, Integer> inFlightByRepository, int queuedInteractive,
            int queuedBatch, int requestsInWindow, long tokensInWindow) {
    }

    /**
     * The right to send one request. Release it exactly once, when the provider call (with its
     * retries and fallbacks) is over; further calls have no effect.
     */
    public final class Permit {

        private final Waiter waiter;
        private final Charge charge;
        private final long admittedAt;
        private boolean released;

        private Permit(Waiter waiter, Charge charge, long admittedAt) {
            this.waiter = waiter;
            this.charge = charge;
            this.admittedAt = admittedAt;
        }

        /** @return the repository bucket the permit counts against */
        public String repository() {
            return waiter.repository;
        }

        /** @return how long the request waited for admission */
        public Duration waited() {
            return Duration.ofNanos(admittedAt - waiter.enqueuedAt);
        }

        /**
         * Frees the permit and corrects the token window with the tokens actually used.
         *
         * @param actualTokens tokens the provider reported, or a negative value to keep the estimate
         */
        public void release(long actualTokens) {
            List<Runnable> completions = new ArrayList<>(2);
            lock.lock();
            try {
                if (released) {
                    return;
                }
                released = true;
                long now = ticker.nanoTime();
                inFlight--;
                inFlightByRepository.computeIfPresent(waiter.repository, (k, n) -> n == 1 ? null : n - 1);
                if (actualTokens >= 0 && !charge.expired) {
                    tokensInWindow += actualTokens - charge.tokens;
                    charge.tokens = actualTokens;
                }
                long hold = now - admittedAt;
                averageHoldNanos = averageHoldNanos == 0 ? hold : averageHoldNanos + (hold - averageHoldNanos) / 5;
                dispatch(now, completions);
            } finally {
                lock.unlock();
            }
            completions.forEach(Runnable::run);
        }

        /** Frees the permit and keeps the token estimate (no usage is known). */
        public void release() {
            release(-1);
        }
    }

    // ------------------------------------------------------------------ internals (all under lock)

    private static String bucket(String repository) {
        return repository == null || repository.isBlank() ? DEFAULT_BUCKET : repository;
    }

    /** Admits waiting requests in order for as long as the limits allow. */
    private void dispatch(long now, List<Runnable> completions) {
        expireWindows(now);
        for (Priority priority : Priority.values()) {
            Lane lane = lanes.get(priority);
            while (lane.size > 0) {
                if (inFlight >= limits.maxConcurrent()) {
                    return;
                }
                if (limits.requestsPerWindow() > 0 && admissions.size() >= limits.requestsPerWindow()) {
                    wakeAt(admissions.peekFirst() + windowNanos, now);
                    return;
                }
                Waiter next = lane.nextAdmissible(this::repositoryHasRoom);
                if (next == null) {
                    // Every repository waiting in this lane is at its own limit; lower lanes may
                    // still hold requests of other repositories.
                    break;
                }
                if (!tokensFit(next.tokens)) {
                    wakeAt(timeWhenTokensFit(next.tokens), now);
                    return;
                }
                lane.remove(next, true);
                admit(next, now, completions);
            }
        }
    }

    private boolean repositoryHasRoom(String repository) {
        return inFlightByRepository.getOrDefault(repository, 0) < limits.maxConcurrentPerRepository();
    }

    private void admit(Waiter waiter, long now, List<Runnable> completions) {
        waiter.done = true;
        if (waiter.deadline != null) {
            waiter.deadline.cancel();
        }
        inFlight++;
        inFlightByRepository.merge(waiter.repository, 1, Integer::sum);
        admissions.addLast(now);
        Charge charge = new Charge(now, waiter.tokens);
        charges.addLast(charge);
        tokensInWindow += waiter.tokens;
        Permit permit = new Permit(waiter, charge, now);
        completions.add(() -> {
            if (!waiter.future.complete(permit)) {
                // The caller gave up (cancelled) just as the request was admitted.
                permit.release();
            }
        });
    }

    private void reject(Waiter waiter, AdmissionRejectedException.Reason reason, long retryAfterNanos,
            List<Runnable> completions) {
        waiter.done = true;
        Duration retryAfter = Duration.ofNanos(Math.max(MIN_RETRY_AFTER_NANOS, retryAfterNanos));
        Duration waited = Duration.ofNanos(Math.max(0, ticker.nanoTime() - waiter.enqueuedAt));
        completions.add(() -> waiter.future.completeExceptionally(
                new AdmissionRejectedException(reason, retryAfter, waited)));
    }

    private void expire(Waiter waiter) {
        List<Runnable> completions = new ArrayList<>(1);
        lock.lock();
        try {
            if (waiter.done) {
                return;
            }
            lanes.get(waiter.priority).remove(waiter, false);
            long now = ticker.nanoTime();
            reject(waiter, AdmissionRejectedException.Reason.WAIT_EXPIRED, suggestedRetryAfter(now), completions);
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
    }

    private void cancel(Waiter waiter) {
        lock.lock();
        try {
            if (waiter.done) {
                return;
            }
            waiter.done = true;
            if (waiter.deadline != null) {
                waiter.deadline.cancel();
            }
            lanes.get(waiter.priority).remove(waiter, false);
        } finally {
            lock.unlock();
        }
    }

    private void expireWindows(long now) {
        while (!admissions.isEmpty() && admissions.peekFirst() + windowNanos <= now) {
            admissions.pollFirst();
        }
        while (!charges.isEmpty() && charges.peekFirst().at + windowNanos <= now) {
            Charge charge = charges.pollFirst();
            charge.expired = true;
            tokensInWindow -= charge.tokens;
        }
    }

    private boolean tokensFit(long tokens) {
        return limits.tokensPerWindow() == 0 || tokensInWindow == 0
                || tokensInWindow + tokens <= limits.tokensPerWindow();
    }

    private long timeWhenTokensFit(long tokens) {
        long remaining = tokensInWindow;
        for (Charge charge : charges) {
            remaining -= charge.tokens;
            if (remaining == 0 || remaining + tokens <= limits.tokensPerWindow()) {
                return charge.at + windowNanos;
            }
        }
        // Unreachable while the window's charges add up to tokensInWindow; wake at the latest expiry.
        return charges.isEmpty() ? ticker.nanoTime() : charges.peekLast().at + windowNanos;
    }

    private void wakeAt(long at, long now) {
        if (at >= wakeAt) {
            return;
        }
        if (wake != null) {
            wake.cancel();
        }
        wakeAt = at;
        wake = ticker.schedule(at - now, this::onWake);
    }

    private void onWake() {
        List<Runnable> completions = new ArrayList<>();
        lock.lock();
        try {
            wake = null;
            wakeAt = Long.MAX_VALUE;
            dispatch(ticker.nanoTime(), completions);
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
    }

    private int queuedCount() {
        int total = 0;
        for (Lane lane : lanes.values()) {
            total += lane.size;
        }
        return total;
    }

    /** @return how many waiting requests would be admitted before a new one of this priority */
    private int queuedAhead(Priority priority) {
        int ahead = 0;
        for (Priority p : Priority.values()) {
            ahead += lanes.get(p).size;
            if (p == priority) {
                break;
            }
        }
        return ahead;
    }

    /**
     * A lower bound of when the {@code n}-th request from now can be admitted under the request
     * rate alone: in any window at most {@code requestsPerWindow} admissions, so the n-th one
     * comes at least a window after the admission {@code requestsPerWindow} places before it.
     */
    private long earliestByRate(int n, long now) {
        int perWindow = limits.requestsPerWindow();
        if (perWindow == 0) {
            return now;
        }
        long extraWindows = 0;
        while (n > perWindow) {
            n -= perWindow;
            extraWindows++;
        }
        int index = n + admissions.size() - perWindow;
        long base = now;
        if (index > 0) {
            Iterator<Long> it = admissions.iterator();
            long at = 0;
            for (int i = 0; i < index; i++) {
                at = it.next();
            }
            base = Math.max(now, at + windowNanos);
        }
        return base + extraWindows * windowNanos;
    }

    /**
     * Retry-After for a refused request: the later of what the request rate guarantees and what
     * the queue needs at the recent average time a permit is held.
     */
    private long suggestedRetryAfter(long now) {
        int queued = queuedCount();
        long byRate = earliestByRate(queued + 1, now) - now;
        long rounds = (queued + limits.maxConcurrent()) / limits.maxConcurrent();
        long byConcurrency = averageHoldNanos * rounds;
        return Math.max(byRate, Math.min(byConcurrency, Math.max(maxWaitNanos, byRate)));
    }

    private static final class Waiter {
        final String repository;
        final Priority priority;
        final long tokens;
        final long enqueuedAt;
        final CompletableFuture<Permit> future = new CompletableFuture<>();
        Ticker.Cancellable deadline;
        /** Admitted, refused or cancelled: no longer waiting. */
        boolean done;

        Waiter(String repository, Priority priority, long tokens, long enqueuedAt) {
            this.repository = repository;
            this.priority = priority;
            this.tokens = tokens;
            this.enqueuedAt = enqueuedAt;
        }
    }

    private static final class Charge {
        final long at;
        long tokens;
        boolean expired;

        Charge(long at, long tokens) {
            this.at = at;
            this.tokens = tokens;
        }
    }

    /** Waiting requests of one priority: FIFO per repository, repositories in rotation. */
    private static final class Lane {
        /** Iteration order is the rotation: a repository served moves to the end. */
        private final LinkedHashMap<String, ArrayDeque<Waiter>> byRepository = new LinkedHashMap<>();
        private int size;

        void add(Waiter waiter) {
            byRepository.computeIfAbsent(waiter.repository, k -> new ArrayDeque<>()).addLast(waiter);
            size++;
        }

        Waiter nextAdmissible(java.util.function.Predicate<String> hasRoom) {
            for (Map.Entry<String, ArrayDeque<Waiter>> entry : byRepository.entrySet()) {
                if (hasRoom.test(entry.getKey())) {
                    return entry.getValue().peekFirst();
                }
            }
            return null;
        }

        /**
         * @param waiter a waiting request of this lane
         * @param served whether it is being admitted (its repository then goes to the end of the
         *               rotation) rather than leaving the queue for another reason
         */
        void remove(Waiter waiter, boolean served) {
            ArrayDeque<Waiter> queue = byRepository.get(waiter.repository);
            if (queue == null || !queue.remove(waiter)) {
                return;
            }
            size--;
            if (queue.isEmpty()) {
                byRepository.remove(waiter.repository);
            } else if (served) {
                byRepository.remove(waiter.repository);
                byRepository.put(waiter.repository, queue);
            }
        }
    }
}
