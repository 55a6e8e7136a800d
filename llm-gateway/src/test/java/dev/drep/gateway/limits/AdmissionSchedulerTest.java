package dev.drep.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.drep.gateway.metadata.Priority;
import dev.drep.gateway.time.ManualTicker;
import dev.drep.gateway.time.SystemTicker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionSchedulerTest {

    private static final Duration MINUTE = Duration.ofSeconds(60);
    private final ManualTicker ticker = new ManualTicker();

    private AdmissionScheduler scheduler(int global, int perRepository, int rpm, long tpm, Duration maxWait,
            int maxQueued) {
        return new AdmissionScheduler(new AdmissionLimits(global, perRepository, rpm, tpm, MINUTE, maxWait, maxQueued),
                ticker);
    }

    private AdmissionScheduler concurrencyOnly(int global, int perRepository) {
        return scheduler(global, perRepository, 0, 0, Duration.ofHours(1), 10_000);
    }

    private static AdmissionScheduler.Permit permit(CompletableFuture<AdmissionScheduler.Permit> future) {
        assertThat(future).as("admitted").isCompleted();
        return future.join();
    }

    @Test
    void globalAndPerRepositoryConcurrencyHoldUnderRandomLoad() {
        AdmissionScheduler scheduler = concurrencyOnly(5, 3);
        Random random = new Random(42);
        List<CompletableFuture<AdmissionScheduler.Permit>> pending = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            pending.add(scheduler.acquire("repo-" + (i % 10), random.nextBoolean() ? Priority.BATCH
                    : Priority.INTERACTIVE, 10));
        }
        int released = 0;
        while (released < 200) {
            AdmissionScheduler.Snapshot snapshot = scheduler.snapshot();
            assertThat(snapshot.inFlight()).isLessThanOrEqualTo(5);
            assertThat(snapshot.inFlightByRepository().values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(3));
            List<CompletableFuture<AdmissionScheduler.Permit>> admitted = pending.stream()
                    .filter(CompletableFuture::isDone).toList();
            // While requests wait, the scheduler keeps every global slot busy.
            if (snapshot.queuedBatch() + snapshot.queuedInteractive() > 0) {
                assertThat(admitted).hasSize(5);
            }
            CompletableFuture<AdmissionScheduler.Permit> done = admitted.get(random.nextInt(admitted.size()));
            pending.remove(done);
            done.join().release(7);
            released++;
        }
        assertThat(scheduler.snapshot().inFlight()).isZero();
    }

    @Test
    void oneBusyRepositoryCannotStarveTheOthers() {
        AdmissionScheduler scheduler = concurrencyOnly(1, 1);
        Admissions admissions = new Admissions();
        for (int i = 1; i <= 5; i++) {
            admissions.track(scheduler.acquire("busy", Priority.BATCH, 1), "busy-" + i);
        }
        admissions.track(scheduler.acquire("quiet-1", Priority.BATCH, 1), "quiet-1");
        admissions.track(scheduler.acquire("quiet-2", Priority.BATCH, 1), "quiet-2");

        admissions.releaseOneAtATime(7);

        assertThat(admissions.order).containsExactly("busy-1", "busy-2", "quiet-1", "quiet-2", "busy-3", "busy-4",
                "busy-5");
    }

    @Test
    void interactiveRequestsOvertakeQueuedBatchOnes() {
        AdmissionScheduler scheduler = concurrencyOnly(1, 1);
        Admissions admissions = new Admissions();
        admissions.track(scheduler.acquire("a", Priority.BATCH, 1), "running");
        admissions.track(scheduler.acquire("b", Priority.BATCH, 1), "batch-b");
        admissions.track(scheduler.acquire("c", Priority.BATCH, 1), "batch-c");
        admissions.track(scheduler.acquire("d", Priority.INTERACTIVE, 1), "interactive-d");
        admissions.track(scheduler.acquire("e", Priority.INTERACTIVE, 1), "interactive-e");
        assertThat(scheduler.snapshot().queuedInteractive()).isEqualTo(2);
        assertThat(scheduler.snapshot().queuedBatch()).isEqualTo(2);

        admissions.releaseOneAtATime(5);

        assertThat(admissions.order).containsExactly("running", "interactive-d", "interactive-e", "batch-b",
                "batch-c");
    }

    /** Records the order of admissions and releases permits in that order, one at a time. */
    private static final class Admissions {
        final List<String> order = new ArrayList<>();
        final ArrayDeque<AdmissionScheduler.Permit> held = new ArrayDeque<>();

        void track(CompletableFuture<AdmissionScheduler.Permit> future, String name) {
            future.thenAccept(permit -> {
                order.add(name);
                held.add(permit);
            });
        }

        void releaseOneAtATime(int count) {
            for (int i = 0; i < count; i++) {
                assertThat(held).as("exactly one request admitted at a time").hasSize(1);
                held.poll().release();
            }
            assertThat(held).isEmpty();
        }
    }

    @Test
    void aRepositoryAtItsLimitDoesNotHoldBackOtherRepositoriesOrLowerPriorities() {
        AdmissionScheduler scheduler = concurrencyOnly(3, 1);
        permit(scheduler.acquire("a", Priority.INTERACTIVE, 1));
        CompletableFuture<AdmissionScheduler.Permit> secondOfA = scheduler.acquire("a", Priority.INTERACTIVE, 1);
        CompletableFuture<AdmissionScheduler.Permit> batchOfB = scheduler.acquire("b", Priority.BATCH, 1);

        assertThat(secondOfA).isNotDone();
        assertThat(batchOfB).isCompleted();
    }

    @Test
    void requestsWithoutRepositoryShareTheDefaultBucket() {
        AdmissionScheduler scheduler = concurrencyOnly(5, 2);
        permit(scheduler.acquire(null, Priority.BATCH, 1));
        permit(scheduler.acquire(" ", Priority.BATCH, 1));
        CompletableFuture<AdmissionScheduler.Permit> third = scheduler.acquire(null, Priority.BATCH, 1);

        assertThat(third).isNotDone();
        assertThat(scheduler.snapshot().inFlightByRepository()).containsEntry(AdmissionScheduler.DEFAULT_BUCKET, 2);
    }

    @Test
    void theRequestWindowSlides() {
        AdmissionScheduler scheduler = scheduler(10, 10, 3, 0, Duration.ofMinutes(5), 100);
        permit(scheduler.acquire("r", Priority.BATCH, 1)).release();
        ticker.advance(Duration.ofSeconds(10));
        permit(scheduler.acquire("r", Priority.BATCH, 1)).release();
        ticker.advance(Duration.ofSeconds(10));
        permit(scheduler.acquire("r", Priority.BATCH, 1)).release();

        CompletableFuture<AdmissionScheduler.Permit> fourth = scheduler.acquire("r", Priority.BATCH, 1);
        CompletableFuture<AdmissionScheduler.Permit> fifth = scheduler.acquire("r", Priority.BATCH, 1);
        ticker.advance(Duration.ofSeconds(40).minusMillis(1));
        assertThat(fourth).isNotDone();
        ticker.advance(Duration.ofMillis(1));
        assertThat(fourth).isCompleted();
        assertThat(fifth).isNotDone();
        ticker.advance(Duration.ofSeconds(10));
        assertThat(fifth).isCompleted();
        assertThat(scheduler.snapshot().requestsInWindow()).isEqualTo(3);
    }

    @Test
    void theTokenWindowIsChargedWithTheEstimateAndCorrectedWithActualUsage() {
        AdmissionScheduler scheduler = scheduler(10, 10, 0, 1_000, Duration.ofMinutes(5), 100);
        AdmissionScheduler.Permit first = permit(scheduler.acquire("r", Priority.BATCH, 600));
        CompletableFuture<AdmissionScheduler.Permit> second = scheduler.acquire("r", Priority.BATCH, 600);
        assertThat(second).isNotDone();

        // The provider reported 300 tokens: 300 + 600 fits, so the second goes at once.
        first.release(300);

        assertThat(second).isCompleted();
        assertThat(scheduler.snapshot().tokensInWindow()).isEqualTo(900);
    }

    @Test
    void withoutCorrectionTheTokenWindowWaitsForTheChargeToExpire() {
        AdmissionScheduler scheduler = scheduler(10, 10, 0, 1_000, Duration.ofMinutes(5), 100);
        permit(scheduler.acquire("r", Priority.BATCH, 600)).release();
        ticker.advance(Duration.ofSeconds(30));
        CompletableFuture<AdmissionScheduler.Permit> second = scheduler.acquire("r", Priority.BATCH, 600);

        ticker.advance(Duration.ofSeconds(30).minusMillis(1));
        assertThat(second).isNotDone();
        ticker.advance(Duration.ofMillis(1));
        assertThat(second).isCompleted();
    }

    @Test
    void aRequestLargerThanTheTokenWindowGoesWhenTheWindowIsEmpty() {
        AdmissionScheduler scheduler = scheduler(10, 10, 0, 1_000, Duration.ofMinutes(5), 100);
        permit(scheduler.acquire("r", Priority.BATCH, 10)).release();
        CompletableFuture<AdmissionScheduler.Permit> huge = scheduler.acquire("r", Priority.BATCH, 5_000);
        CompletableFuture<AdmissionScheduler.Permit> small = scheduler.acquire("s", Priority.BATCH, 10);

        assertThat(huge).isNotDone();
        // Small requests behind it do not overtake it forever.
        assertThat(small).isNotDone();
        ticker.advance(MINUTE);
        assertThat(huge).isCompleted();
        assertThat(small).isNotDone();
    }

    @Test
    void aRequestThatWaitedTheMaximumIsRefusedWithRetryAfter() throws InterruptedException {
        AdmissionScheduler scheduler = scheduler(1, 1, 0, 0, Duration.ofSeconds(10), 100);
        permit(scheduler.acquire("r", Priority.BATCH, 1));
        CompletableFuture<AdmissionScheduler.Permit> waiting = scheduler.acquire("r", Priority.BATCH, 1);

        ticker.advance(Duration.ofSeconds(10).minusMillis(1));
        assertThat(waiting).isNotDone();
        ticker.advance(Duration.ofMillis(1));

        AdmissionRejectedException rejected = rejection(waiting);
        assertThat(rejected.reason()).isEqualTo(AdmissionRejectedException.Reason.WAIT_EXPIRED);
        assertThat(rejected.retryAfter()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(rejected.waited()).isEqualTo(Duration.ofSeconds(10));
        assertThat(scheduler.snapshot().queuedBatch()).isZero();
    }

    @Test
    void aWaitTheRateWindowMakesCertainIsRefusedAtOnce() throws InterruptedException {
        AdmissionScheduler scheduler = scheduler(10, 10, 2, 0, Duration.ofSeconds(10), 100);
        permit(scheduler.acquire("r", Priority.BATCH, 1)).release();
        ticker.advance(Duration.ofSeconds(5));
        permit(scheduler.acquire("r", Priority.BATCH, 1)).release();

        AdmissionRejectedException rejected = rejection(scheduler.acquire("r", Priority.BATCH, 1));

        assertThat(rejected.reason()).isEqualTo(AdmissionRejectedException.Reason.WAIT_TOO_LONG);
        // The oldest admission leaves the window in 55 s.
        assertThat(rejected.retryAfter()).isEqualTo(Duration.ofSeconds(55));
        assertThat(rejected.waited()).isZero();
    }

    @Test
    void aFullQueueRefusesAtOnce() throws InterruptedException {
        AdmissionScheduler scheduler = scheduler(1, 1, 0, 0, Duration.ofMinutes(1), 1);
        permit(scheduler.acquire("r", Priority.BATCH, 1));
        CompletableFuture<AdmissionScheduler.Permit> queued = scheduler.acquire("r", Priority.BATCH, 1);

        AdmissionRejectedException rejected = rejection(scheduler.acquire("r", Priority.INTERACTIVE, 1));

        assertThat(queued).isNotDone();
        assertThat(rejected.reason()).isEqualTo(AdmissionRejectedException.Reason.QUEUE_FULL);
        assertThat(rejected.retryAfter()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void withoutQueueARequestThatFitsIsStillAdmitted() throws InterruptedException {
        AdmissionScheduler scheduler = scheduler(1, 1, 0, 0, Duration.ofMinutes(1), 0);

        AdmissionScheduler.Permit first = permit(scheduler.acquire("r", Priority.BATCH, 1));
        AdmissionRejectedException second = rejection(scheduler.acquire("r", Priority.BATCH, 1));
        first.release();

        assertThat(second.reason()).isEqualTo(AdmissionRejectedException.Reason.QUEUE_FULL);
        assertThat(scheduler.acquire("r", Priority.BATCH, 1)).isCompleted();
        assertThat(scheduler.snapshot().queuedBatch()).isZero();
    }

    @Test
    void aCancelledWaiterLeavesTheQueue() {
        AdmissionScheduler scheduler = concurrencyOnly(1, 1);
        AdmissionScheduler.Permit running = permit(scheduler.acquire("r", Priority.BATCH, 1));
        CompletableFuture<AdmissionScheduler.Permit> gaveUp = scheduler.acquire("r", Priority.BATCH, 1);
        CompletableFuture<AdmissionScheduler.Permit> next = scheduler.acquire("r", Priority.BATCH, 1);

        gaveUp.cancel(false);
        assertThat(scheduler.snapshot().queuedBatch()).isEqualTo(1);
        running.release();

        assertThat(next).isCompleted();
        assertThat(scheduler.snapshot().inFlight()).isEqualTo(1);
    }

    @Test
    void releasingTwiceFreesOneSlot() {
        AdmissionScheduler scheduler = concurrencyOnly(2, 2);
        AdmissionScheduler.Permit first = permit(scheduler.acquire("r", Priority.BATCH, 1));
        permit(scheduler.acquire("r", Priority.BATCH, 1));

        first.release();
        first.release();

        assertThat(scheduler.snapshot().inFlight()).isEqualTo(1);
    }

    @Test
    void theWaitIsReportedOnThePermit() {
        AdmissionScheduler scheduler = concurrencyOnly(1, 1);
        AdmissionScheduler.Permit first = permit(scheduler.acquire("r", Priority.BATCH, 1));
        CompletableFuture<AdmissionScheduler.Permit> second = scheduler.acquire("r", Priority.BATCH, 1);
        ticker.advance(Duration.ofMillis(250));
        first.release();

        assertThat(first.waited()).isZero();
        assertThat(permit(second).waited()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void limitsHoldWithRealThreadsAndTimers() throws Exception {
        try (SystemTicker realTicker = new SystemTicker("test-admission")) {
            AdmissionScheduler scheduler = new AdmissionScheduler(new AdmissionLimits(5, 3, 0, 0, MINUTE,
                    Duration.ofSeconds(30), 10_000), realTicker);
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger maxInFlight = new AtomicInteger();
            Map<String, AtomicInteger> perRepository = new ConcurrentHashMap<>();
            List<String> violations = new CopyOnWriteArrayList<>();
            ExecutorService workers = Executors.newFixedThreadPool(8);
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String repository = "repo-" + (i % 10);
                Priority priority = i % 3 == 0 ? Priority.INTERACTIVE : Priority.BATCH;
                done.add(CompletableFuture.supplyAsync(() -> scheduler.acquire(repository, priority, 5), workers)
                        .thenCompose(f -> f)
                        .thenAcceptAsync(permit -> {
                            int now = inFlight.incrementAndGet();
                            maxInFlight.accumulateAndGet(now, Math::max);
                            int mine = perRepository.computeIfAbsent(repository, r -> new AtomicInteger()).incrementAndGet();
                            if (now > 5 || mine > 3) {
                                violations.add(repository + " global=" + now + " repository=" + mine);
                            }
                            try {
                                Thread.sleep(1);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            perRepository.get(repository).decrementAndGet();
                            inFlight.decrementAndGet();
                            permit.release(5);
                        }, workers));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            workers.shutdownNow();

            assertThat(violations).isEmpty();
            assertThat(maxInFlight.get()).isEqualTo(5);
            assertThat(scheduler.snapshot().inFlight()).isZero();
        }
    }

    private static AdmissionRejectedException rejection(CompletableFuture<AdmissionScheduler.Permit> future)
            throws InterruptedException {
        assertThat(future).isDone();
        try {
            future.get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(AdmissionRejectedException.class);
            return (AdmissionRejectedException) e.getCause();
        }
        return fail("expected a rejection, got a permit");
    }
}
