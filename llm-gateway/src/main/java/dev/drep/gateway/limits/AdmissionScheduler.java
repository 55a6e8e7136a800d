package dev.drep.gateway.limits;

import dev.drep.gateway.metadata.Priority;
import dev.drep.gateway.time.Ticker;
import java.security.SecureRandom;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

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
 *
 * <p>With {@link SharedLimits} (several gateway replicas), a request this scheduler would admit is
 * first counted locally and then claims its slot in the shared state; only when the shared state
 * admits it too is its future completed. A refused claim puts the request back at the head of its
 * repository's queue and holds back admissions for a short, jittered retry delay (only that
 * repository's, when the repository was full; all of them when the global limit or the shared
 * window was), so the replica's order of priority and turns is kept while it waits for the others.
 */
public final class AdmissionScheduler {

    /** Bucket of requests that name no repository. */
    public static final String DEFAULT_BUCKET = "(none)";
    /**
     * Permit ids: this process's random half and a sequence. Unique within the process, which is where permits are
     * kept (the shared limits hold them by id), and made without {@code UUID.randomUUID()}, whose SecureRandom read
     * under a lock was a visible share of each admission's CPU.
     */
    private static final long PERMIT_ID_PREFIX = new SecureRandom().nextLong();
    private static final AtomicLong PERMIT_SEQUENCE = new AtomicLong();

    private static final Logger LOG = Logger.getLogger(AdmissionScheduler.class);
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
    private final SharedLimits shared;
    private final long sharedRetryNanos;
    /** With shared limits: no admission before this time (the shared state refused a claim). */
    private long sharedBlockedUntil = Long.MIN_VALUE;
    /** With shared limits: repositories that were full over all replicas, until when. */
    private final Map<String, Long> repositoryBlockedUntil = new HashMap<>();

    /**
     * @param limits the limits
     * @param ticker time and timers
     */
    public AdmissionScheduler(AdmissionLimits limits, Ticker ticker) {
        this(limits, ticker, null, Duration.ZERO);
    }

    /**
     * @param limits      the limits (the same on every replica)
     * @param ticker      time and timers
     * @param shared      the limits shared with the other replicas, or {@code null} for a single replica
     * @param sharedRetry how long to hold back after the shared state refused a claim (jittered, 50-150 %)
     */
    public AdmissionScheduler(AdmissionLimits limits, Ticker ticker, SharedLimits shared, Duration sharedRetry) {
        this.shared = shared;
        this.sharedRetryNanos = Math.max(1, Objects.requireNonNull(sharedRetry, "sharedRetry").toNanos());
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
        private final UUID id = new UUID(PERMIT_ID_PREFIX, PERMIT_SEQUENCE.incrementAndGet());
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
                if (shared == null) {
                    dispatch(now, completions);
                }
            } finally {
                lock.unlock();
            }
            completions.forEach(Runnable::run);
            if (shared != null) {
                // The slot is free for the others once the shared state knows it; then this
                // replica's own waiters may claim again at once.
                shared.release(id, actualTokens).whenComplete((ignored, failure) -> onSharedRelease(waiter.repository));
            }
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
        if (now < sharedBlockedUntil) {
            wakeAt(sharedBlockedUntil, now);
            return;
        }
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
                if (shared == null) {
                    admit(next, now, completions);
                } else {
                    claim(next, now, completions);
                }
            }
        }
    }

    private boolean repositoryHasRoom(String repository) {
        if (!repositoryBlockedUntil.isEmpty()) {
            Long until = repositoryBlockedUntil.get(repository);
            if (until != null) {
                long now = ticker.nanoTime();
                if (now < until) {
                    wakeAt(until, now);
                    return false;
                }
                repositoryBlockedUntil.remove(repository);
            }
        }
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

    /**
     * Counts a request locally as admitted, then claims its shared slot (outside the lock); the
     * claim's answer completes the request or puts it back.
     */
    private void claim(Waiter waiter, long now, List<Runnable> completions) {
        waiter.claiming = true;
        inFlight++;
        inFlightByRepository.merge(waiter.repository, 1, Integer::sum);
        admissions.addLast(now);
        Charge charge = new Charge(now, waiter.tokens);
        charges.addLast(charge);
        tokensInWindow += waiter.tokens;
        Permit permit = new Permit(waiter, charge, now);
        completions.add(() -> shared.tryAdmit(permit.id, waiter.repository, waiter.tokens)
                .whenComplete((verdict, failure) -> onClaimAnswered(permit, now, verdict, failure)));
    }

    private void onClaimAnswered(Permit permit, long claimedAt, SharedLimits.Verdict verdict, Throwable failure) {
        Waiter waiter = permit.waiter;
        if (failure == null && verdict.outcome() == SharedLimits.Outcome.ADMITTED) {
            List<Runnable> completions = new ArrayList<>(1);
            lock.lock();
            try {
                waiter.claiming = false;
                waiter.done = true;
                if (waiter.deadline != null) {
                    waiter.deadline.cancel();
                }
            } finally {
                lock.unlock();
            }
            if (!waiter.future.complete(permit)) {
                // The caller gave up (cancelled) or its wait expired while the slot was claimed.
                permit.release();
            }
            return;
        }
        if (failure != null) {
            LOG.warnf("Could not claim a shared admission slot (%s: %s); retrying until the request's wait runs out",
                    failure.getClass().getSimpleName(), failure.getMessage());
        }
        List<Runnable> completions = new ArrayList<>(2);
        lock.lock();
        try {
            waiter.claiming = false;
            // Undo the local count: the request was not admitted.
            permit.released = true;
            inFlight--;
            inFlightByRepository.computeIfPresent(waiter.repository, (k, n) -> n == 1 ? null : n - 1);
            admissions.removeLastOccurrence(claimedAt);
            if (charges.remove(permit.charge) && !permit.charge.expired) {
                tokensInWindow -= permit.charge.tokens;
            }
            long now = ticker.nanoTime();
            long retry = sharedRetryNanos / 2 + ThreadLocalRandom.current().nextLong(sharedRetryNanos);
            if (failure == null && verdict.outcome() == SharedLimits.Outcome.RATE_LIMITED) {
                retry = Math.max(retry, verdict.retryAfter().toNanos());
            }
            if (failure == null && verdict.outcome() == SharedLimits.Outcome.REPOSITORY_FULL) {
                repositoryBlockedUntil.merge(waiter.repository, now + retry, Math::max);
            } else {
                sharedBlockedUntil = Math.max(sharedBlockedUntil, now + retry);
            }
            if (waiter.future.isDone()) {
                waiter.done = true;
                if (waiter.deadline != null) {
                    waiter.deadline.cancel();
                }
            } else if (now - waiter.enqueuedAt >= maxWaitNanos) {
                reject(waiter, AdmissionRejectedException.Reason.WAIT_EXPIRED, Math.max(retry, suggestedRetryAfter(now)),
                        completions);
            } else {
                lanes.get(waiter.priority).addFirst(waiter);
            }
            wakeAt(now + retry, now);
            dispatch(now, completions);
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
    }

    private void onSharedRelease(String repository) {
        List<Runnable> completions = new ArrayList<>();
        lock.lock();
        try {
            long now = ticker.nanoTime();
            if (queuedCount() == 0 || !shared.othersWaiting()) {
                // nobody else waits: this replica's own waiters take the slot at once
                sharedBlockedUntil = Long.MIN_VALUE;
                repositoryBlockedUntil.remove(repository);
            } else {
                // A replica with requests waiting does not take the slot it freed straight back: it asks
                // after a random delay, as the other replicas' waiting requests do, so a busy replica
                // cannot keep the slots it holds while the others' requests starve.
                long at = now + ThreadLocalRandom.current().nextLong(sharedRetryNanos);
                sharedBlockedUntil = at;
                repositoryBlockedUntil.computeIfPresent(repository, (k, until) -> Math.min(until, at));
            }
            dispatch(now, completions);
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
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
            if (waiter.done || waiter.claiming) {
                // a claim's answer decides (it rejects the request if its wait has run out by then)
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
            if (waiter.done || waiter.claiming) {
                // a claimed slot is given back when the cancelled future refuses the permit
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
        /** Counted locally, its shared slot being claimed: out of the queue, not yet done. */
        boolean claiming;

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

        /**
         * Puts back a request whose shared claim was refused where it was: ahead of its repository's others, and its
         * repository first in the rotation again (taking it for the claim had moved it to the end), so a refusal
         * does not let the repositories behind it overtake it.
         */
        void addFirst(Waiter waiter) {
            ArrayDeque<Waiter> queue = byRepository.remove(waiter.repository);
            if (queue == null) {
                queue = new ArrayDeque<>();
            }
            queue.addFirst(waiter);
            LinkedHashMap<String, ArrayDeque<Waiter>> rotation = new LinkedHashMap<>();
            rotation.put(waiter.repository, queue);
            rotation.putAll(byRepository);
            byRepository.clear();
            byRepository.putAll(rotation);
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
