package dev.drep.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.gateway.metadata.Priority;
import dev.drep.gateway.time.ManualTicker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * {@link AdmissionScheduler} with {@link SharedLimits} whose answers the test gives, on a fake clock:
 * a request is admitted only when its shared claim is, and a refused one waits its turn again.
 */
class SharedClaimsTest {

    /** The most a refused claim holds back (shared retry 10 ms, jittered up to 150 %). */
    private static final Duration AFTER_RETRY = Duration.ofMillis(16);

    private final ManualTicker ticker = new ManualTicker();
    private final ScriptedShared shared = new ScriptedShared();

    private AdmissionScheduler scheduler(int global, int perRepository, Duration maxWait) {
        return new AdmissionScheduler(new AdmissionLimits(global, perRepository, 0, 0, Duration.ofMinutes(1), maxWait,
                10_000), ticker, shared, Duration.ofMillis(10));
    }

    @Test
    void aRequestIsAdmittedOnlyWhenTheSharedStateAdmitsIt() {
        AdmissionScheduler scheduler = scheduler(5, 3, Duration.ofMinutes(1));
        CompletableFuture<AdmissionScheduler.Permit> request = scheduler.acquire("a", Priority.BATCH, 10);
        assertThat(request).isNotDone();
        shared.answer(SharedLimits.Outcome.GLOBAL_FULL);
        assertThat(request).isNotDone();
        assertThat(shared.pending).as("no claim before the retry delay").isEmpty();

        ticker.advance(AFTER_RETRY);
        assertThat(shared.pending).hasSize(1);
        shared.answer(SharedLimits.Outcome.ADMITTED);
        assertThat(request).isCompleted();
    }

    @Test
    void aRepositoryFullOverAllReplicasHoldsBackOnlyThatRepository() {
        AdmissionScheduler scheduler = scheduler(5, 3, Duration.ofMinutes(1));
        CompletableFuture<AdmissionScheduler.Permit> a = scheduler.acquire("a", Priority.BATCH, 10);
        shared.answer(SharedLimits.Outcome.REPOSITORY_FULL);

        CompletableFuture<AdmissionScheduler.Permit> b = scheduler.acquire("b", Priority.BATCH, 10);
        assertThat(shared.pending).extracting(Claim::repository).containsExactly("b");
        shared.answer(SharedLimits.Outcome.ADMITTED);
        assertThat(b).isCompleted();
        assertThat(a).isNotDone();

        ticker.advance(AFTER_RETRY);
        assertThat(shared.pending).extracting(Claim::repository).containsExactly("a");
    }

    @Test
    void aGlobalRefusalHoldsBackEveryRepository() {
        AdmissionScheduler scheduler = scheduler(5, 3, Duration.ofMinutes(1));
        scheduler.acquire("a", Priority.BATCH, 10);
        shared.answer(SharedLimits.Outcome.GLOBAL_FULL);

        CompletableFuture<AdmissionScheduler.Permit> b = scheduler.acquire("b", Priority.BATCH, 10);
        assertThat(shared.pending).isEmpty();
        assertThat(b).isNotDone();

        ticker.advance(AFTER_RETRY);
        assertThat(shared.pending).extracting(Claim::repository).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void afterARefusalInteractiveIsClaimedBeforeBatch() {
        AdmissionScheduler scheduler = scheduler(1, 1, Duration.ofMinutes(1));
        CompletableFuture<AdmissionScheduler.Permit> batch = scheduler.acquire("a", Priority.BATCH, 10);
        CompletableFuture<AdmissionScheduler.Permit> interactive = scheduler.acquire("b", Priority.INTERACTIVE, 10);
        assertThat(shared.pending).extracting(Claim::repository).as("one at a time locally").containsExactly("a");
        shared.answer(SharedLimits.Outcome.GLOBAL_FULL);

        ticker.advance(AFTER_RETRY);
        assertThat(shared.pending).extracting(Claim::repository).containsExactly("b");
        shared.answer(SharedLimits.Outcome.ADMITTED);
        assertThat(interactive).isCompleted();
        assertThat(batch).isNotDone();
    }

    @Test
    void aRefusedClaimKeepsItsRepositorysTurnSoTheRepositoriesQueuedAfterItDoNotOvertakeIt() {
        // one at a time locally, so the claims come in the order of the turns
        AdmissionScheduler scheduler = scheduler(1, 1, Duration.ofMinutes(1));
        CompletableFuture<AdmissionScheduler.Permit> first = scheduler.acquire("a", Priority.BATCH, 10);
        CompletableFuture<AdmissionScheduler.Permit> second = scheduler.acquire("b", Priority.BATCH, 10);
        CompletableFuture<AdmissionScheduler.Permit> third = scheduler.acquire("c", Priority.BATCH, 10);
        assertThat(shared.pending).extracting(Claim::repository).containsExactly("a");
        shared.answer(SharedLimits.Outcome.GLOBAL_FULL);

        ticker.advance(AFTER_RETRY);
        assertThat(shared.pending).extracting(Claim::repository).as("a again, not b").containsExactly("a");
        shared.answer(SharedLimits.Outcome.ADMITTED);
        assertThat(first).isCompleted();
        first.join().release();

        ticker.advance(AFTER_RETRY);
        assertThat(shared.pending).extracting(Claim::repository).containsExactly("b");
        shared.answer(SharedLimits.Outcome.GLOBAL_FULL);
        ticker.advance(AFTER_RETRY);
        assertThat(shared.pending).extracting(Claim::repository).as("b again, not c").containsExactly("b");
        shared.answer(SharedLimits.Outcome.ADMITTED);
        assertThat(second).isCompleted();
        assertThat(third).isNotDone();
    }

    @Test
    void aFullWindowHoldsBackUntilItHasRoom() {
        AdmissionScheduler scheduler = scheduler(5, 3, Duration.ofMinutes(1));
        CompletableFuture<AdmissionScheduler.Permit> request = scheduler.acquire("a", Priority.BATCH, 10);
        shared.answer(new SharedLimits.Verdict(SharedLimits.Outcome.RATE_LIMITED, Duration.ofMillis(500)));

        ticker.advance(Duration.ofMillis(490));
        assertThat(shared.pending).isEmpty();
        ticker.advance(Duration.ofMillis(20));
        assertThat(shared.pending).hasSize(1);
        shared.answer(SharedLimits.Outcome.ADMITTED);
        assertThat(request).isCompleted();
    }

    @Test
    void aRequestRefusedUntilItsWaitRunsOutIsAnswered429() {
        AdmissionScheduler scheduler = scheduler(5, 3, Duration.ofMillis(100));
        CompletableFuture<AdmissionScheduler.Permit> request = scheduler.acquire("a", Priority.BATCH, 10);
        for (int i = 0; i < 20 && !request.isDone(); i++) {
            while (!shared.pending.isEmpty()) {
                shared.answer(SharedLimits.Outcome.GLOBAL_FULL);
            }
            ticker.advance(AFTER_RETRY);
        }
        assertThat(request).isCompletedExceptionally();
        try {
            request.get();
        } catch (InterruptedException | ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(AdmissionRejectedException.class,
                    rejected -> assertThat(rejected.reason()).isEqualTo(AdmissionRejectedException.Reason.WAIT_EXPIRED));
        }
        assertThat(scheduler.snapshot().inFlight()).isZero();
        assertThat(scheduler.snapshot().queuedBatch()).isZero();
    }

    @Test
    void aRequestCancelledWhileItsClaimIsAnsweredGivesTheSlotBack() {
        AdmissionScheduler scheduler = scheduler(5, 3, Duration.ofMinutes(1));
        CompletableFuture<AdmissionScheduler.Permit> request = scheduler.acquire("a", Priority.BATCH, 10);
        UUID permit = shared.pending.peek().permit();
        request.cancel(false);
        shared.answer(SharedLimits.Outcome.ADMITTED);

        assertThat(shared.released).containsExactly(new Release(permit, -1));
        assertThat(scheduler.snapshot().inFlight()).isZero();
    }

    @Test
    void aReleaseGivesTheSlotBackWithItsTokensAndTheNextClaimFollowsWithinTheRetryDelay() {
        AdmissionScheduler scheduler = scheduler(5, 1, Duration.ofMinutes(1));
        CompletableFuture<AdmissionScheduler.Permit> first = scheduler.acquire("a", Priority.BATCH, 10);
        UUID permit = shared.pending.peek().permit();
        shared.answer(SharedLimits.Outcome.ADMITTED);
        CompletableFuture<AdmissionScheduler.Permit> second = scheduler.acquire("a", Priority.BATCH, 10);
        assertThat(shared.pending).as("the repository is full locally").isEmpty();

        first.join().release(42);

        assertThat(shared.released).containsExactly(new Release(permit, 42));
        // not at once (the other replicas' waiting requests get their chance at the freed slot), but
        // within one retry delay, without being refused first
        ticker.advance(Duration.ofMillis(10));
        assertThat(shared.pending).hasSize(1);
        shared.answer(SharedLimits.Outcome.ADMITTED);
        assertThat(second).isCompleted();
    }

    private record Claim(UUID permit, String repository, CompletableFuture<SharedLimits.Verdict> answer) {
    }

    private record Release(UUID permit, long actualTokens) {
    }

    /** Shared limits that answer what the test says, in the order the claims came. */
    private static final class ScriptedShared implements SharedLimits {
        final ArrayDeque<Claim> pending = new ArrayDeque<>();
        final List<Release> released = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Verdict> tryAdmit(UUID permit, String repository, long tokens) {
            Claim claim = new Claim(permit, repository, new CompletableFuture<>());
            pending.add(claim);
            return claim.answer();
        }

        @Override
        public CompletionStage<Void> release(UUID permit, long actualTokens) {
            released.add(new Release(permit, actualTokens));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean othersWaiting() {
            return true;
        }

        void answer(Outcome outcome) {
            answer(new Verdict(outcome, Duration.ZERO));
        }

        void answer(Verdict verdict) {
            pending.poll().answer().complete(verdict);
        }
    }
}
