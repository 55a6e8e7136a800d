package dev.drep.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.gateway.limits.ReplicaGrants.Answer;
import dev.drep.gateway.limits.ReplicaGrants.Applied;
import dev.drep.gateway.limits.ReplicaGrants.Exchange;
import dev.drep.gateway.limits.SharedLimits.Outcome;
import dev.drep.gateway.limits.SharedLimits.Verdict;
import dev.drep.gateway.time.ManualTicker;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * One replica's bookkeeping of the shared limits, with the shared state's answers given by the test and time on a
 * manual clock: what an exchange asks for and gives back, and what the replica admits while it is under way.
 */
class ReplicaGrantsTest {

    private static final Duration REBALANCE = Duration.ofMillis(50);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final OffsetDateTime BUCKET = OffsetDateTime.of(2026, 12, 7, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime NEXT_BUCKET = BUCKET.plusSeconds(1);

    private final ManualTicker ticker = new ManualTicker();

    private ReplicaGrants grants(int global, int perRepository, int requestsPerWindow, long tokensPerWindow) {
        return new ReplicaGrants(new AdmissionLimits(global, perRepository, requestsPerWindow, tokensPerWindow, MINUTE,
                Duration.ofMinutes(1), 1_000), REBALANCE, ticker);
    }

    private ReplicaGrants concurrencyOnly(int global, int perRepository) {
        return grants(global, perRepository, 0, 0);
    }

    // ------------------------------------------------------------ giving slots back

    @Test
    void aSlotGivenBackWhileAnotherReplicaWaitsIsNotAdmittedIntoWhileItsExchangeIsUnderWay() {
        ReplicaGrants grants = concurrencyOnly(6, 6);
        List<Request> held = hold(grants, "a", 2, true);
        assertThat(grants.othersWaiting()).isTrue();
        ticker.advance(REBALANCE.multipliedBy(2));

        assertThat(grants.release(held.get(0).permit, -1)).as("a slot freed while another replica waits goes back")
                .isTrue();
        Exchange givingBack = grants.prepare();
        assertThat(wants(givingBack)).containsExactly(Map.entry("a", 1));

        // the answer is not in yet: the shared state may already have granted the slot to the waiting replica
        Request late = ask(grants, "a");
        assertThat(late.admittedAtOnce).as("admitted into the slot being given back").isFalse();

        Applied applied = apply(grants, givingBack, reply(givingBack).othersWaiting());
        assertThat(late.verdict).as("asked for at the next exchange, not refused").isNotDone();
        assertThat(applied.exchangeAgain()).isTrue();
        assertThat(wants(grants.prepare())).containsExactly(Map.entry("a", 2));
    }

    @Test
    void slotsUnusedSinceTheLastRebalanceAreNotAdmittedIntoWhileTheyAreGivenBack() {
        ReplicaGrants grants = concurrencyOnly(6, 6);
        List<Request> held = hold(grants, "a", 2, false);
        held.forEach(request -> assertThat(grants.release(request.permit, -1)).as("kept: nobody waits").isFalse());

        ticker.advance(REBALANCE.multipliedBy(2));
        Exchange first = rebalance(grants);
        assertThat(wants(first)).as("used at its peak since the last rebalance: kept").isEmpty();
        apply(grants, first, reply(first));

        ticker.advance(REBALANCE);
        Exchange second = rebalance(grants);
        assertThat(wants(second)).containsExactly(Map.entry("a", 0));
        assertThat(ask(grants, "a").admittedAtOnce).as("admitted into a slot being given back").isFalse();
    }

    @Test
    void aSlotFreedWhileNobodyWaitsIsKeptAndAdmitsTheNextRequestWithoutAnExchange() {
        ReplicaGrants grants = concurrencyOnly(6, 6);
        List<Request> held = hold(grants, "a", 2, false);
        ticker.advance(REBALANCE.multipliedBy(2));

        assertThat(grants.release(held.get(0).permit, -1)).isFalse();
        assertThat(wants(grants.prepare())).as("nothing to give back").isEmpty();
        assertThat(ask(grants, "a").admittedAtOnce).isTrue();
    }

    @Test
    void aSlotFreedWhileAnExchangeIsUnderWayAndAnotherReplicaWaitsMakesTheReplicaExchangeAgainAtOnce() {
        ReplicaGrants grants = concurrencyOnly(6, 6);
        List<Request> held = hold(grants, "a", 3, true);
        ticker.advance(REBALANCE.multipliedBy(2));
        Exchange rebalance = grants.prepare();
        assertThat(wants(rebalance)).isEmpty();

        assertThat(grants.release(held.get(0).permit, -1)).isTrue();
        Applied applied = apply(grants, rebalance, reply(rebalance).othersWaiting());

        assertThat(applied.exchangeAgain()).isTrue();
        assertThat(wants(grants.prepare())).containsExactly(Map.entry("a", 2));
    }

    @Test
    void whileAnotherReplicaWaitsAReplicaWantsOnlyWhatItUsesAndWhatWaitsNotItsPeak() {
        ReplicaGrants grants = concurrencyOnly(6, 6);
        List<Request> held = hold(grants, "a", 3, false);
        Exchange learn = grants.prepare();
        apply(grants, learn, reply(learn).othersWaiting());
        held.subList(0, 2).forEach(request -> grants.release(request.permit, -1));
        ticker.advance(REBALANCE.multipliedBy(2));

        assertThat(wants(grants.prepare())).containsExactly(Map.entry("a", 1));
    }

    @Test
    void whileNobodyElseWaitsARepositoryWithARequestWaitingKeepsTheSlotsItHolds() {
        ReplicaGrants grants = concurrencyOnly(6, 6);
        List<Request> b = hold(grants, "b", 3, false);
        hold(grants, "a", 1, false);
        b.subList(0, 2).forEach(request -> grants.release(request.permit, -1));
        ticker.advance(REBALANCE.multipliedBy(2));
        assertThat(ask(grants, "a").admittedAtOnce).isFalse();
        assertThat(ask(grants, "b").admittedAtOnce).as("behind the request of a").isFalse();

        // b uses one and one waits, but it holds three: it keeps them (more of its requests may follow)
        assertThat(wants(grants.prepare())).containsExactly(Map.entry("a", 2));
    }

    // ------------------------------------------------------------ wants of refused requests

    @Test
    void aRepositoryWhoseRequestsWereRefusedGoesOnWantingSlotsForTwoRebalanceIntervals() {
        ReplicaGrants grants = concurrencyOnly(6, 6);
        List<Request> refused = List.of(ask(grants, "a"), ask(grants, "a"));
        Exchange claim = grants.prepare();
        assertThat(wants(claim)).containsExactly(Map.entry("a", 2));
        run(grants.apply(claim, reply(claim).hold("a", 0).shortOf("a", "global").build()));
        assertThat(refused).allSatisfy(r -> assertThat(r.verdict).isCompletedWithValue(
                new Verdict(Outcome.GLOBAL_FULL, Duration.ZERO)));
        assertThat(grants.holdsAnything()).as("it still wants them").isTrue();

        ticker.advance(REBALANCE);
        Exchange once = rebalance(grants);
        assertThat(wants(once)).as("one interval later").containsExactly(Map.entry("a", 2));
        apply(grants, once, reply(once).hold("a", 0));

        ticker.advance(REBALANCE.minusNanos(1));
        Exchange justBefore = rebalance(grants);
        assertThat(wants(justBefore)).as("just before two intervals").containsExactly(Map.entry("a", 2));
        apply(grants, justBefore, reply(justBefore).hold("a", 0));

        ticker.advance(Duration.ofNanos(1));
        Exchange after = rebalance(grants);
        assertThat(wants(after)).as("two intervals later").containsExactly(Map.entry("a", 0));
        apply(grants, after, reply(after));
        assertThat(grants.holdsAnything()).as("nothing held, used or wanted").isFalse();
    }

    // ------------------------------------------------------------ verdicts of the requests asked for

    @Test
    void requestsAskedForAreRefusedWithTheReasonOfTheirRepository() {
        ReplicaGrants grants = concurrencyOnly(6, 2);
        Request a = ask(grants, "a");
        Request b = ask(grants, "b");
        Exchange claim = grants.prepare();
        run(grants.apply(claim, reply(claim).hold("a", 0).shortOf("a", "repository").hold("b", 0)
                .shortOf("b", "global").build()));

        assertThat(a.verdict).isCompletedWithValue(new Verdict(Outcome.REPOSITORY_FULL, Duration.ZERO));
        assertThat(b.verdict).isCompletedWithValue(new Verdict(Outcome.GLOBAL_FULL, Duration.ZERO));
    }

    @Test
    void aRequestQueuedAfterTheExchangeWasPreparedWaitsForTheNextOneRatherThanBeingRefused() {
        ReplicaGrants grants = concurrencyOnly(6, 6);
        Request asked = ask(grants, "a");
        Exchange claim = grants.prepare();
        Request after = ask(grants, "a");
        Applied applied = apply(grants, claim, reply(claim));

        assertThat(asked.verdict).isCompletedWithValue(Verdict.ADMITTED);
        assertThat(after.verdict).isNotDone();
        assertThat(applied.exchangeAgain()).isTrue();
    }

    @Test
    void aNewRequestDoesNotOvertakeOneThatWaitsEvenWhenItWouldFit() {
        ReplicaGrants grants = concurrencyOnly(6, 6);
        hold(grants, "a", 1, false);
        List<Request> b = hold(grants, "b", 2, false);
        grants.release(b.get(0).permit, -1);
        assertThat(ask(grants, "a").admittedAtOnce).isFalse();

        assertThat(grants.admit(UUID.randomUUID(), "b", 1)).as("a free slot of b, but a waits").isFalse();
    }

    @Test
    void aLostLeaseAnswersTheRequestsAskedForWithNoLeaseAndForgetsEverySlot() {
        ReplicaGrants grants = concurrencyOnly(6, 6);
        List<Request> held = hold(grants, "a", 2, false);
        grants.release(held.get(0).permit, -1);
        Request asked = ask(grants, "b");
        Exchange claim = grants.prepare();
        Applied applied = grants.apply(claim, Answer.leaseLost());
        run(applied);

        assertThat(applied.leaseLost()).isTrue();
        assertThat(asked.verdict).isCompletedWithValue(new Verdict(Outcome.NO_LEASE, Duration.ZERO));
        assertThat(grants.hasWaiting()).isFalse();
        assertThat(grants.admit(UUID.randomUUID(), "a", 1)).as("a slot of the lost lease").isFalse();
    }

    @Test
    void afterANewLeaseItsRequestsInFlightAreAskedForAgainAndNothingNewIsAdmittedUntilItHoldsMoreThanThose() {
        ReplicaGrants grants = concurrencyOnly(6, 6);
        hold(grants, "a", 2, false);
        // the heartbeat found the lease run out: the database dropped this replica's grants and gave them to others
        grants.forgetGrants();

        Request next = ask(grants, "a");
        assertThat(next.admittedAtOnce).as("admitted into a slot of the lost lease").isFalse();
        Exchange rejoin = grants.prepare();
        assertThat(wants(rejoin)).as("the two in flight and the one waiting").containsExactly(Map.entry("a", 3));
        // the others hold the rest now: two slots, no more than this replica has in flight
        apply(grants, rejoin, reply(rejoin).hold("a", 2).shortOf("a", "global"));
        assertThat(next.verdict).isCompletedWithValue(new Verdict(Outcome.GLOBAL_FULL, Duration.ZERO));
        assertThat(grants.admit(UUID.randomUUID(), "a", 1)).isFalse();
    }

    @Test
    void anAnswerToAnExchangePreparedBeforeANewLeaseIsNotAdmittedIntoAndItsWantsAreSentAgain() {
        ReplicaGrants grants = concurrencyOnly(6, 6);
        Request asked = ask(grants, "a");
        Exchange claim = grants.prepare();
        assertThat(wants(claim)).containsExactly(Map.entry("a", 1));
        // Meanwhile the heartbeat found the lease run out and took a new one. The claim may have been granted
        // before, under the old lease: the database has dropped that slot since, and another replica may hold it.
        grants.forgetGrants();
        Applied applied = apply(grants, claim, reply(claim));

        assertThat(asked.verdict).as("admitted into a slot the database may have dropped").isNotDone();
        assertThat(grants.admit(UUID.randomUUID(), "a", 1)).isFalse();
        assertThat(applied.exchangeAgain()).isTrue();
        Exchange again = grants.prepare();
        assertThat(wants(again)).containsExactly(Map.entry("a", 1));
        apply(grants, again, reply(again));
        assertThat(asked.verdict).isCompletedWithValue(Verdict.ADMITTED);
    }

    @Test
    void aFailedExchangeRefusesWhatItAskedForAndResendsItsCorrectionsOnlyWhenItNeverReachedTheDatabase() {
        ReplicaGrants grants = grants(6, 6, 600, 0);
        Request held = ask(grants, "a");
        Exchange claim = grants.prepare();
        apply(grants, claim, reply(claim).allowance(BUCKET, 5, 0, Duration.ofSeconds(1)));
        ticker.advance(Duration.ofSeconds(2));
        grants.release(held.permit, -1);

        Request asked = ask(grants, "a");
        Exchange lost = grants.prepare();
        assertThat(lost.returnBuckets()).containsExactly(BUCKET);
        assertThat(lost.returnRequests()).as("what was left of the allowance").containsExactly(4);
        List<CompletableFuture<Verdict>> refused = grants.failed(lost, true);
        assertThat(refused).containsExactly(asked.verdict);
        assertThat(grants.hasWaiting()).isFalse();

        Exchange resent = grants.prepare();
        assertThat(resent.returnBuckets()).containsExactly(BUCKET);
        assertThat(resent.returnRequests()).containsExactly(4);
        grants.failed(resent, false);
        assertThat(grants.prepare().returnBuckets()).as("applied by the database already").isEmpty();
    }

    // ------------------------------------------------------------ the rate allowance

    @Test
    void anAllowanceUsedUpBeforeItsBucketEndsMakesTheNextAskForTwiceAsMuchUpToTheBucketsShareOfTheWindow() {
        ReplicaGrants grants = grants(100, 100, 600, 0); // a bucket's share: 600 / 60 = 10 requests
        List<Integer> asked = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            Request first = ask(grants, "a");
            assertThat(first.admittedAtOnce).as("allowance used up").isFalse();
            Exchange claim = grants.prepare();
            asked.add(claim.requests());
            int granted = claim.requests();
            apply(grants, claim, reply(claim).allowance(BUCKET, granted, 0, Duration.ofSeconds(1)));
            assertThat(first.verdict).isCompletedWithValue(Verdict.ADMITTED);
            grants.release(first.permit, -1);
            for (int i = 1; i < granted; i++) {
                Request next = ask(grants, "a");
                assertThat(next.admittedAtOnce).as("within the allowance").isTrue();
                grants.release(next.permit, -1);
            }
        }
        // one waiting request, plus twice the last allowance ahead: 1 + 0, 1 + 2, 1 + 6, 1 + min(14, 10)
        assertThat(asked).containsExactly(1, 3, 7, 11);
    }

    @Test
    void anAllowanceInUseAsItsBucketEndsIsRenewedWithWhatItUsedAndWhatIsLeftIsGivenBack() {
        ReplicaGrants grants = grants(100, 100, 600, 0);
        Request first = ask(grants, "a");
        Exchange claim = grants.prepare();
        Applied applied = apply(grants, claim, reply(claim)
                .allowance(BUCKET, 5, 0, Duration.ofSeconds(1)));
        assertThat(first.verdict).isCompletedWithValue(Verdict.ADMITTED);
        grants.release(first.permit, -1);
        Request second = ask(grants, "a");
        assertThat(second.admittedAtOnce).isTrue();
        grants.release(second.permit, -1);
        assertThat(applied.renewInNanos()).as("just after the bucket ends").isGreaterThan(Duration.ofSeconds(1)
                .toNanos());

        ticker.advance(Duration.ofNanos(applied.renewInNanos()));
        assertThat(grants.renewDue(applied.granted())).as("used").isTrue();
        assertThat(grants.admit(UUID.randomUUID(), "a", 1)).as("allowance of a bucket that is over").isFalse();
        Exchange renewal = grants.prepare();
        assertThat(renewal.requests()).as("what the last bucket used").isEqualTo(2);
        assertThat(renewal.returnBuckets()).containsExactly(BUCKET);
        assertThat(renewal.returnRequests()).as("what it left").containsExactly(3);

        apply(grants, renewal, reply(renewal).allowance(NEXT_BUCKET, 2, 0, Duration.ofSeconds(1)));
        assertThat(ask(grants, "a").admittedAtOnce).as("from the next bucket's allowance").isTrue();
    }

    @Test
    void anAllowanceNotUsedIsNotRenewed() {
        ReplicaGrants grants = grants(100, 100, 600, 0);
        ask(grants, "a");
        Exchange claim = grants.prepare();
        Applied first = apply(grants, claim, reply(claim).allowance(BUCKET, 5, 0,
                Duration.ofSeconds(1)));
        ticker.advance(Duration.ofNanos(first.renewInNanos()));
        assertThat(grants.renewDue(first.granted())).as("used by the request it was asked for").isTrue();
        Exchange renewal = grants.prepare();
        Applied second = apply(grants, renewal, reply(renewal).allowance(NEXT_BUCKET, 1, 0, Duration.ofSeconds(1)));

        ticker.advance(Duration.ofNanos(second.renewInNanos()));
        assertThat(grants.renewDue(second.granted())).isFalse();
        assertThat(grants.prepare().requests()).isZero();
    }

    @Test
    void whileAnotherReplicaWaitsAnAllowanceIsAskedOnlyForTheRequestsThatWait() {
        ReplicaGrants grants = grants(100, 100, 600, 6_000);
        Request first = ask(grants, "a", 40);
        Exchange claim = grants.prepare();
        apply(grants, claim, reply(claim).othersWaiting().allowance(BUCKET, 1, 40,
                Duration.ofSeconds(1)));
        assertThat(first.verdict).isCompletedWithValue(Verdict.ADMITTED);

        ask(grants, "a", 30);
        ask(grants, "a", 20);
        Exchange next = grants.prepare();
        assertThat(next.requests()).isEqualTo(2);
        assertThat(next.tokens()).isEqualTo(50);
        assertThat(next.needTokens()).as("the first waiting request's").isEqualTo(30);
    }

    @Test
    void aRequestBeyondTheTokensLeftWaitsAndTheRateRetryRefusesIt() {
        ReplicaGrants grants = grants(100, 100, 600, 6_000);
        Request first = ask(grants, "a", 40);
        Exchange claim = grants.prepare();
        apply(grants, claim, reply(claim).allowance(BUCKET, 5, 50, Duration.ofSeconds(1)));
        grants.release(first.permit, -1);

        Request big = ask(grants, "a", 20);
        assertThat(big.admittedAtOnce).as("10 tokens left").isFalse();
        Exchange more = grants.prepare();
        assertThat(more.needTokens()).isEqualTo(20);
        apply(grants, more, reply(more).rateRetry(Duration.ofMillis(700)));

        assertThat(big.verdict).isCompletedWithValue(new Verdict(Outcome.RATE_LIMITED, Duration.ofMillis(700)));
    }

    @Test
    void aRequestShortOfAllowanceWithoutARateRetryAsksAgainRatherThanBeingRefused() {
        ReplicaGrants grants = grants(100, 100, 600, 0);
        Request request = ask(grants, "a");
        Exchange claim = grants.prepare();
        // slots granted, no allowance and no retry: the bucket ended while the exchange was under way
        Applied applied = apply(grants, claim, reply(claim));

        assertThat(request.verdict).isNotDone();
        assertThat(applied.exchangeAgain()).isTrue();
        assertThat(grants.prepare().requests()).isEqualTo(1);
    }

    @Test
    void theTokensARequestActuallyUsedCorrectItsBucketAtTheNextExchange() {
        ReplicaGrants grants = grants(100, 100, 0, 6_000);
        Request request = ask(grants, "a", 100);
        Exchange claim = grants.prepare();
        apply(grants, claim, reply(claim).allowance(BUCKET, 1, 100, Duration.ofSeconds(1)));

        grants.release(request.permit, 150);
        Exchange next = grants.prepare();
        assertThat(next.returnBuckets()).containsExactly(BUCKET);
        assertThat(next.returnTokens()).as("50 more than estimated").containsExactly(50L);
        assertThat(next.returnRequests()).containsExactly(0);
    }

    // ------------------------------------------------------------ helpers

    /** A request as {@link PostgresSharedLimits#tryAdmit} makes it: admitted from what is held, else queued. */
    private static final class Request {
        final UUID permit = UUID.randomUUID();
        boolean admittedAtOnce;
        CompletableFuture<Verdict> verdict;
    }

    private static Request ask(ReplicaGrants grants, String repository) {
        return ask(grants, repository, 1);
    }

    private static Request ask(ReplicaGrants grants, String repository, long tokens) {
        Request request = new Request();
        request.admittedAtOnce = grants.admit(request.permit, repository, tokens);
        request.verdict = request.admittedAtOnce ? CompletableFuture.completedFuture(Verdict.ADMITTED)
                : grants.queue(request.permit, repository, tokens);
        return request;
    }

    /** {@code count} requests of {@code repository} admitted through one exchange that grants what it asks. */
    private List<Request> hold(ReplicaGrants grants, String repository, int count, boolean othersWaiting) {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(ask(grants, repository));
        }
        if (count == 0) {
            return requests;
        }
        Exchange claim = grants.prepare();
        Reply reply = reply(claim);
        apply(grants, claim, othersWaiting ? reply.othersWaiting() : reply);
        assertThat(requests).allSatisfy(r -> assertThat(r.verdict).isCompletedWithValue(Verdict.ADMITTED));
        return requests;
    }

    /** A rebalance as PostgresSharedLimits runs it: the exchange, then peaks start again. */
    private static Exchange rebalance(ReplicaGrants grants) {
        Exchange x = grants.prepare();
        grants.restartPeaks();
        return x;
    }

    private static Applied apply(ReplicaGrants grants, Exchange x, Reply reply) {
        Applied applied = grants.apply(x, reply.build());
        run(applied);
        return applied;
    }

    private static void run(Applied applied) {
        applied.verdicts().forEach(Runnable::run);
    }

    private static Map<String, Integer> wants(Exchange x) {
        Map<String, Integer> wants = new LinkedHashMap<>();
        for (int i = 0; i < x.repositories().size(); i++) {
            wants.put(x.repositories().get(i), x.wants().get(i));
        }
        return wants;
    }

    private static Reply reply(Exchange x) {
        return new Reply(x);
    }

    /** The shared state's answer: by default every repository gets what it wants, no allowance, nobody waits. */
    private static final class Reply {
        private final Exchange x;
        private final Map<String, Integer> held = new HashMap<>();
        private final Map<String, String> shortOf = new HashMap<>();
        private boolean othersWaiting;
        private OffsetDateTime bucket;
        private int requests;
        private long tokens;
        private Duration bucketLeft = Duration.ZERO;
        private Duration rateRetry = Duration.ZERO;

        Reply(Exchange x) {
            this.x = x;
        }

        Reply hold(String repository, int slots) {
            held.put(repository, slots);
            return this;
        }

        Reply shortOf(String repository, String reason) {
            shortOf.put(repository, reason);
            return this;
        }

        Reply othersWaiting() {
            othersWaiting = true;
            return this;
        }

        Reply allowance(OffsetDateTime bucket, int requests, long tokens, Duration bucketLeft) {
            this.bucket = bucket;
            this.requests = requests;
            this.tokens = tokens;
            this.bucketLeft = bucketLeft;
            return this;
        }

        Reply rateRetry(Duration retry) {
            rateRetry = retry;
            return this;
        }

        Answer build() {
            List<Integer> slots = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            for (int i = 0; i < x.repositories().size(); i++) {
                String repository = x.repositories().get(i);
                slots.add(Math.min(x.wants().get(i), held.getOrDefault(repository, Integer.MAX_VALUE)));
                reasons.add(shortOf.get(repository));
            }
            return new Answer(true, slots, reasons, requests, tokens, bucket, bucketLeft, rateRetry, othersWaiting);
        }
    }
}
