package dev.drep.gateway.limits;

import dev.drep.gateway.limits.SharedLimits.Outcome;
import dev.drep.gateway.limits.SharedLimits.Verdict;
import dev.drep.gateway.time.Ticker;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What one gateway replica holds of the shared limits, and the requests waiting for more: concurrency slots per
 * repository and an allowance of requests and tokens from the current rate bucket, against which it admits and
 * releases requests in memory. It decides what an exchange with the shared state sends ({@link #prepare()}: slots
 * wanted per repository, allowance asked, corrections) and what its answer means ({@link #apply}: the slots held
 * now, the waiting requests admitted or refused). The exchange itself, its timing and the lease are
 * {@link PostgresSharedLimits}'s.
 *
 * <p>The rules, each for the reason in docs/architecture.md ("Replicas that share the limits"):
 * <ul>
 *   <li>a request is admitted from what is held only when nothing waits before it;</li>
 *   <li>a replica wants what is in use and what waits; while nobody else waits, also what it used at its peak since
 *       the last rebalance (and at least what it holds while its own requests wait);</li>
 *   <li>slots given back leave local use when the exchange is prepared, not when it is answered: another replica may
 *       be granted them the moment the shared state has them;</li>
 *   <li>a repository whose requests asked keeps saying it wants them for two rebalance intervals, so the other
 *       replicas see it while its requests wait in the scheduler for their retry;</li>
 *   <li>while another replica waits, a slot freed is given back at the next exchange and no allowance is taken
 *       ahead;</li>
 *   <li>an allowance is used only while its bucket is current, and what is left of it is given back; the next one
 *       asks for what the last one used, twice what it had when it was used up early, at most a bucket's share of
 *       the window;</li>
 *   <li>an answer to an exchange prepared before the replica took a new lease is not admitted into: the database
 *       may have dropped the slots it grants (the lease ran out) after it answered, so they are asked for again.</li>
 * </ul>
 *
 * <p>Not thread-safe: the caller makes one call at a time (PostgresSharedLimits under its lock) and completes the
 * verdicts it is handed outside that lock. The ticker is only read; timers are the caller's.
 */
final class ReplicaGrants {

    /** Buckets per rate window: the window is held with the granularity of one bucket. */
    static final int BUCKETS_PER_WINDOW = 60;
    /** Most requests a replica takes ahead from one rate bucket. */
    private static final int MAX_PREFETCH_REQUESTS = 100_000;
    /** The allowance of the next bucket is asked for this long after the current one ends. */
    private static final long RENEW_AFTER_BUCKET_NANOS = 1_000_000;

    private final AdmissionLimits limits;
    private final Ticker ticker;
    private final long rebalanceNanos;
    private final boolean rateLimited;

    /** Slots per repository bucket, in the order repositories were first seen. */
    private final Map<String, Grant> grants = new LinkedHashMap<>();
    /** Permits admitted and not yet released. */
    private final Map<UUID, Hold> holds = new HashMap<>();
    /** Requests that did not fit what the replica holds, oldest first. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Requests and tokens to give back (or move) per rate bucket at the next exchange. */
    private final Map<OffsetDateTime, long[]> corrections = new HashMap<>();
    private Allowance allowance;
    private int prefetchRequests;
    private long prefetchTokens;
    /** A slot was freed while others wait: give it back at the next exchange. */
    private boolean giveBack;
    private boolean othersWaiting;
    /** The allowance's bucket ran out while it was in use: ask for the next one before a request has to. */
    private boolean renewAllowance;
    /** Leases taken anew since the start ({@link #forgetGrants()}): answers to exchanges prepared before are stale. */
    private int leaseGeneration;

    /**
     * @param limits    the limits, the same on every replica
     * @param rebalance how often the replica exchanges while it holds anything
     * @param ticker    the clock (only read)
     */
    ReplicaGrants(AdmissionLimits limits, Duration rebalance, Ticker ticker) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.rebalanceNanos = rebalance.toNanos();
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.rateLimited = limits.requestsPerWindow() > 0 || limits.tokensPerWindow() > 0;
    }

    // ------------------------------------------------------------ admission in memory

    /**
     * Admits a request into what the replica holds, if no request waits before it and it fits.
     *
     * @return whether it was admitted (its slot is held under {@code permit} until {@link #release})
     */
    boolean admit(UUID permit, String repository, long tokens) {
        return waiting.isEmpty() && admitLocally(permit, repository, tokens, ticker.nanoTime());
    }

    /**
     * Queues a request that was not {@link #admit admitted}: the next exchange asks for it.
     *
     * @return its verdict, completed by {@link #apply} (or {@link #failed}) through the completions they return
     */
    CompletableFuture<Verdict> queue(UUID permit, String repository, long tokens) {
        Waiting request = new Waiting(permit, repository, tokens);
        waiting.addLast(request);
        return request.verdict;
    }

    /**
     * Frees a request's slot and notes the tokens it actually used against its bucket.
     *
     * @param actualTokens tokens used, or a negative value to keep the estimate
     * @return whether the slot is to be given back at once (another replica waits): the caller starts an exchange
     */
    boolean release(UUID permit, long actualTokens) {
        Hold hold = holds.remove(permit);
        if (hold == null) {
            return false;
        }
        Grant grant = grants.get(hold.repository);
        grant.used--;
        if (actualTokens >= 0 && hold.bucket != null && actualTokens != hold.tokens) {
            corrections.computeIfAbsent(hold.bucket, b -> new long[2])[1] += actualTokens - hold.tokens;
        }
        if (othersWaiting && grant.slots > grant.used) {
            giveBack = true;
            return true;
        }
        return false;
    }

    /** @return whether another replica had requests waiting at the last exchange */
    boolean othersWaiting() {
        return othersWaiting;
    }

    /** @return whether the replica holds, uses, wants or owes anything: then it exchanges every rebalance interval */
    boolean holdsAnything() {
        if (allowance != null || !corrections.isEmpty()) {
            return true;
        }
        for (Grant grant : grants.values()) {
            if (grant.slots > 0 || grant.wanted > 0 || grant.used > 0) {
                return true;
            }
        }
        return false;
    }

    /** Peaks start again from what is in use now (after a rebalance was prepared). */
    void restartPeaks() {
        grants.values().forEach(grant -> grant.peak = grant.used);
    }

    /**
     * The shared state holds nothing of this replica's any more (a new lease): no slot, no allowance. An exchange
     * under way meanwhile may answer slots the database has dropped since: {@link #apply} does not admit into them.
     */
    void forgetGrants() {
        grants.values().forEach(grant -> grant.slots = 0);
        allowance = null;
        leaseGeneration++;
    }

    /** @return requests admitted and not yet released */
    int inUse() {
        return holds.size();
    }

    /**
     * Asks for the next bucket's allowance at the next exchange, if {@code expired} is still the allowance and was
     * used.
     *
     * @param expired the allowance {@link Applied#granted()} handed out
     * @return whether an exchange is wanted for it
     */
    boolean renewDue(Allowance expired) {
        if (allowance != expired || expired.usedRequests == 0) {
            return false;
        }
        renewAllowance = true;
        return true;
    }

    private boolean admitLocally(UUID permit, String repository, long tokens, long now) {
        Grant grant = grants.get(repository);
        if (grant == null || grant.used >= grant.slots) {
            return false;
        }
        Allowance charged = null;
        if (rateLimited) {
            charged = currentAllowance(now);
            if (charged == null || !charged.fits(tokens, limits.tokensPerWindow() > 0)) {
                return false;
            }
            charged.take(tokens);
        }
        grant.used++;
        grant.peak = Math.max(grant.peak, grant.used);
        holds.put(permit, new Hold(repository, charged == null ? null : charged.bucket, tokens));
        return true;
    }

    /** The allowance of the current bucket, or none; an allowance whose bucket is over is given back. */
    private Allowance currentAllowance(long now) {
        if (allowance != null && now - allowance.expiresAt > 0) {
            retireAllowance(now);
        }
        return allowance;
    }

    /**
     * Gives back what is left of the allowance. The next one asks for as much ahead as this one used when its bucket
     * ran out, twice what it had when it was used up before that, never beyond a bucket's share of the window.
     */
    private void retireAllowance(long now) {
        Allowance old = allowance;
        allowance = null;
        if (old.requests > 0 || old.tokens > 0) {
            long[] correction = corrections.computeIfAbsent(old.bucket, b -> new long[2]);
            correction[0] += old.requests;
            correction[1] -= old.tokens;
        }
        boolean usedUp = now - old.expiresAt <= 0;
        long requests = usedUp ? 2L * old.grantedRequests : old.usedRequests;
        long tokens = usedUp ? 2L * old.grantedTokens : old.usedTokens;
        prefetchRequests = (int) Math.min(requests, limits.requestsPerWindow() == 0 ? MAX_PREFETCH_REQUESTS
                : Math.min(MAX_PREFETCH_REQUESTS, limits.requestsPerWindow() / BUCKETS_PER_WINDOW));
        prefetchTokens = limits.tokensPerWindow() == 0 ? tokens
                : Math.min(tokens, limits.tokensPerWindow() / BUCKETS_PER_WINDOW);
    }

    // ------------------------------------------------------------ exchanges with the shared state

    /** @return whether requests wait for an exchange */
    boolean hasWaiting() {
        return !waiting.isEmpty();
    }

    /**
     * What to send: every repository whose want changed, the allowance asked, the corrections. Every request waiting
     * now is asked for (its verdict is decided by the answer); slots given back are out of local use from now on.
     */
    Exchange prepare() {
        long now = ticker.nanoTime();
        Exchange x = new Exchange();
        x.leaseGeneration = leaseGeneration;
        Map<String, Integer> waitingPerRepository = new HashMap<>();
        long firstTokens = -1;
        long waitingTokens = 0;
        for (Waiting request : waiting) {
            request.asked = true;
            x.asked.add(request);
            waitingPerRepository.merge(request.repository, 1, Integer::sum);
            grants.computeIfAbsent(request.repository, r -> new Grant());
            waitingTokens += request.tokens;
            if (firstTokens < 0) {
                firstTokens = request.tokens;
            }
        }
        for (Map.Entry<String, Grant> entry : grants.entrySet()) {
            Grant grant = entry.getValue();
            int waitingHere = waitingPerRepository.getOrDefault(entry.getKey(), 0);
            // what is in use and what waits; while nobody else waits, also what was in use since the last rebalance
            int want = grant.used + waitingHere;
            if (!othersWaiting) {
                want = Math.max(want, waitingHere > 0 ? grant.slots : grant.peak);
            }
            if (waitingHere > 0) {
                grant.askedAt = now;
            } else if (now - grant.askedAt < 2 * rebalanceNanos) {
                // requests that asked a moment ago may wait in the scheduler for their retry: the others go on seeing them
                want = Math.max(want, grant.wanted);
            }
            if (want != grant.slots || want != grant.wanted) {
                x.repositories.add(entry.getKey());
                x.wants.add(want);
                if (want < grant.slots) {
                    // given back from now on: no admission may use them while the exchange is under way (another
                    // replica may be granted them the moment it is done)
                    grant.slots = want;
                }
            }
        }
        if (rateLimited) {
            Allowance current = currentAllowance(now);
            if (firstTokens >= 0 && (current == null || current.requests < waiting.size()
                    || (limits.tokensPerWindow() > 0 && current.tokens < waitingTokens))) {
                if (current != null) {
                    retireAllowance(now);
                }
                boolean share = !othersWaiting;
                x.requests = waiting.size() + (share ? prefetchRequests : 0);
                x.tokens = waitingTokens + (share ? prefetchTokens : 0);
                x.needTokens = limits.tokensPerWindow() > 0 ? firstTokens : 0;
            } else if (firstTokens < 0 && renewAllowance && current == null && !othersWaiting) {
                x.requests = prefetchRequests;
                x.tokens = prefetchTokens;
            }
        }
        renewAllowance = false;
        for (Map.Entry<OffsetDateTime, long[]> entry : corrections.entrySet()) {
            x.returnBuckets.add(entry.getKey());
            x.returnRequests.add((int) entry.getValue()[0]);
            x.returnTokens.add(entry.getValue()[1]);
        }
        corrections.clear();
        giveBack = false;
        return x;
    }

    /**
     * Takes in the shared state's answer to {@code x}: the slots held now, the allowance granted, whether others
     * wait; then admits what waits and fits, refuses the requests {@code x} asked for that still do not, and keeps
     * the others (queued since, or short of an allowance whose bucket ended meanwhile) for the next exchange.
     *
     * @return the verdicts to hand out (outside the caller's lock) and what the caller has to do next
     */
    Applied apply(Exchange x, Answer answer) {
        long now = ticker.nanoTime();
        List<Runnable> verdicts = new ArrayList<>();
        if (!answer.leaseOk()) {
            // the lease ran out: what the database held for this replica is gone
            forgetGrants();
            for (Waiting request : x.asked) {
                waiting.remove(request);
                verdicts.add(() -> request.verdict.complete(new Verdict(Outcome.NO_LEASE, Duration.ZERO)));
            }
            return new Applied(verdicts, null, 0, true, exchangeWanted());
        }
        // The lease was taken anew while x was under way: the slots it answers may be gone already (the database
        // dropped them when the lease ran out, perhaps after answering), so none is used; what the database holds is
        // learnt at the next exchange, which sends every want again (slots forgotten: 0, wanted as told now).
        boolean stale = x.leaseGeneration != leaseGeneration;
        Map<String, String> reasons = new HashMap<>();
        for (int i = 0; i < x.repositories.size(); i++) {
            Grant grant = grants.get(x.repositories.get(i));
            grant.wanted = x.wants.get(i);
            if (stale) {
                continue;
            }
            grant.slots = answer.slots().get(i);
            if (answer.shortOf().get(i) != null) {
                reasons.put(x.repositories.get(i), answer.shortOf().get(i));
            }
        }
        othersWaiting = answer.othersWaiting();
        Allowance granted = null;
        long renewIn = 0;
        if (answer.grantedRequests() > 0) {
            long bucketLeft = answer.bucketLeft().toNanos();
            granted = new Allowance(answer.rateBucket(), now + bucketLeft, answer.grantedRequests(),
                    answer.grantedTokens());
            allowance = granted;
            // the next bucket's allowance is asked for as this one runs out, if it was used by then
            renewIn = bucketLeft + RENEW_AFTER_BUCKET_NANOS;
        }
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext();) {
            Waiting request = it.next();
            if (admitLocally(request.permit, request.repository, request.tokens, now)) {
                it.remove();
                verdicts.add(() -> request.verdict.complete(Verdict.ADMITTED));
            } else if (!stale && request.asked
                    && (answer.rateRetry().compareTo(Duration.ZERO) > 0 || !fitsSlots(request))) {
                it.remove();
                Verdict verdict = refusal(request, reasons, answer.rateRetry());
                verdicts.add(() -> request.verdict.complete(verdict));
            } else {
                // short of allowance the window had room for (its bucket ended meanwhile), or a stale answer: ask again
                request.asked = false;
            }
        }
        grants.values().removeIf(grant -> grant.slots == 0 && grant.used == 0 && grant.wanted == 0);
        return new Applied(verdicts, granted, renewIn, false, exchangeWanted());
    }

    /**
     * The exchange {@code x} failed: the requests it asked for are refused (the scheduler asks again until their wait
     * runs out).
     *
     * @param resend whether the exchange did not reach the database, so what it was to give back or correct goes
     *               with the next one
     * @return the verdicts of the refused requests, to be completed exceptionally by the caller
     */
    List<CompletableFuture<Verdict>> failed(Exchange x, boolean resend) {
        for (int i = 0; resend && i < x.returnBuckets.size(); i++) {
            long[] correction = corrections.computeIfAbsent(x.returnBuckets.get(i), b -> new long[2]);
            correction[0] += x.returnRequests.get(i);
            correction[1] += x.returnTokens.get(i);
        }
        List<CompletableFuture<Verdict>> refused = new ArrayList<>();
        for (Waiting request : x.asked) {
            if (waiting.remove(request)) {
                refused.add(request.verdict);
            }
        }
        return refused;
    }

    private boolean exchangeWanted() {
        return !waiting.isEmpty() || giveBack;
    }

    private boolean fitsSlots(Waiting request) {
        Grant grant = grants.get(request.repository);
        return grant.used < grant.slots;
    }

    private Verdict refusal(Waiting request, Map<String, String> reasons, Duration rateRetry) {
        if (!fitsSlots(request)) {
            return "repository".equals(reasons.get(request.repository))
                    ? new Verdict(Outcome.REPOSITORY_FULL, Duration.ZERO)
                    : new Verdict(Outcome.GLOBAL_FULL, Duration.ZERO);
        }
        return new Verdict(Outcome.RATE_LIMITED, rateRetry.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1)
                : rateRetry);
    }

    // ------------------------------------------------------------ what crosses to the caller

    /**
     * The shared state's answer to one exchange.
     *
     * @param leaseOk        whether this replica's lease was alive (when not, nothing else counts)
     * @param slots          slots now held per repository, in the order of {@link Exchange#repositories()}
     * @param shortOf        per repository, why it got fewer than it wanted ({@code global}, {@code repository}) or
     *                       null
     * @param grantedRequests requests of the allowance granted (0: none)
     * @param grantedTokens  tokens of the allowance granted
     * @param rateBucket     the bucket the allowance was taken from
     * @param bucketLeft     how long that bucket stays current
     * @param rateRetry      when the window has room again, if the allowance asked for fell short; else zero
     * @param othersWaiting  whether another replica has requests waiting
     */
    record Answer(boolean leaseOk, List<Integer> slots, List<String> shortOf, int grantedRequests,
            long grantedTokens, OffsetDateTime rateBucket, Duration bucketLeft, Duration rateRetry,
            boolean othersWaiting) {

        /** The answer when the replica's lease had run out. */
        static Answer leaseLost() {
            return new Answer(false, List.of(), List.of(), 0, 0, null, Duration.ZERO, Duration.ZERO, false);
        }
    }

    /**
     * What applying an answer decided.
     *
     * @param verdicts       completions of the verdicts decided, to run outside the caller's lock
     * @param granted        the allowance granted, or null
     * @param renewInNanos   when to ask {@link #renewDue} about {@code granted}: just after its bucket ends
     * @param leaseLost      whether the lease had run out (the caller renews it soon)
     * @param exchangeAgain  whether requests still wait or a slot is to be given back: exchange again at once
     */
    record Applied(List<Runnable> verdicts, Allowance granted, long renewInNanos, boolean leaseLost,
            boolean exchangeAgain) {
    }

    /** What one exchange sends. */
    static final class Exchange {
        private final List<String> repositories = new ArrayList<>();
        private final List<Integer> wants = new ArrayList<>();
        private final List<Waiting> asked = new ArrayList<>();
        private int requests;
        private long tokens;
        private long needTokens;
        private final List<OffsetDateTime> returnBuckets = new ArrayList<>();
        private final List<Integer> returnRequests = new ArrayList<>();
        private final List<Long> returnTokens = new ArrayList<>();
        private int leaseGeneration;

        /** @return repositories whose want changed */
        List<String> repositories() {
            return repositories;
        }

        /** @return slots wanted in all, per repository of {@link #repositories()} */
        List<Integer> wants() {
            return wants;
        }

        /** @return requests of allowance asked (0: none) */
        int requests() {
            return requests;
        }

        /** @return tokens of allowance asked */
        long tokens() {
            return tokens;
        }

        /** @return tokens the first waiting request needs (an allowance without them is none) */
        long needTokens() {
            return needTokens;
        }

        /** @return rate buckets with corrections */
        List<OffsetDateTime> returnBuckets() {
            return returnBuckets;
        }

        /** @return requests given back per bucket of {@link #returnBuckets()} */
        List<Integer> returnRequests() {
            return returnRequests;
        }

        /** @return tokens added (negative: given back) per bucket of {@link #returnBuckets()} */
        List<Long> returnTokens() {
            return returnTokens;
        }
    }

    /** Slots of one repository bucket: granted by the shared state, in use here, most in use since the last rebalance. */
    private static final class Grant {
        int slots;
        int used;
        int peak;
        /** What the shared state was last told this replica wants. */
        int wanted;
        /** When requests of this repository last asked the shared state for slots (nanoTime). */
        long askedAt = Long.MIN_VALUE / 2;
    }

    /** Requests and tokens granted from one rate bucket, usable until the bucket is over. */
    static final class Allowance {
        private final OffsetDateTime bucket;
        private final long expiresAt;
        private final int grantedRequests;
        private final long grantedTokens;
        private int requests;
        private long tokens;
        private int usedRequests;
        private long usedTokens;

        private Allowance(OffsetDateTime bucket, long expiresAt, int requests, long tokens) {
            this.bucket = bucket;
            this.expiresAt = expiresAt;
            this.grantedRequests = requests;
            this.grantedTokens = tokens;
            this.requests = requests;
            this.tokens = tokens;
        }

        private boolean fits(long wanted, boolean tokensLimited) {
            return requests >= 1 && (!tokensLimited || tokens >= wanted);
        }

        private void take(long wanted) {
            requests--;
            tokens = Math.max(0, tokens - wanted);
            usedRequests++;
            usedTokens += wanted;
        }
    }

    private record Hold(String repository, OffsetDateTime bucket, long tokens) {
    }

    private static final class Waiting {
        final UUID permit;
        final String repository;
        final long tokens;
        final CompletableFuture<Verdict> verdict = new CompletableFuture<>();
        /** Part of an exchange under way: its answer decides. */
        boolean asked;

        Waiting(UUID permit, String repository, long tokens) {
            this.permit = permit;
            this.repository = repository;
            this.tokens = tokens;
        }
    }
}
