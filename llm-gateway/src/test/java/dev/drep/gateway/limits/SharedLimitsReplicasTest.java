package dev.drep.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drep.embedded.LocalPostgres;
import dev.drep.gateway.TestConfig;
import dev.drep.gateway.budget.BudgetExhaustedException;
import dev.drep.gateway.budget.BudgetPlan;
import dev.drep.gateway.budget.BudgetService;
import dev.drep.gateway.budget.KeyRateLimitedException;
import java.util.Optional;
import java.util.OptionalLong;
import dev.drep.gateway.metadata.Priority;
import dev.drep.gateway.time.SystemTicker;
import dev.drep.testsupport.http.TestHttpClient;
import dev.drep.testsupport.infra.SharedInfrastructure;
import dev.drep.testsupport.logging.CapturedLog;
import dev.drep.testsupport.llm.FakeLlmServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three gateway replicas' admission ({@link AdmissionScheduler} with {@link PostgresSharedLimits},
 * each with its own pool, timer and HTTP client, as three processes would have) on one embedded
 * PostgreSQL, sending to one fake provider that records what it has in flight. The whole gateway
 * with shared limits on runs in the Quarkus tests (ConcurrencyLimitsTest, TightLimitsTest, ...).
 */
class SharedLimitsReplicasTest {

    private static final String REPOSITORY_HEADER = "X-Test-Repository";
    /** The gateway's default: how often a replica gives back what it no longer uses and learns of others waiting. */
    private static final Duration REBALANCE = Duration.ofMillis(50);

    private static LocalPostgres postgres;
    private static Vertx vertx;

    private final List<Replica> replicas = new ArrayList<>();
    private FakeLlmServer llm;
    private TestHttpClient http;

    @BeforeAll
    static void database() {
        postgres = SharedInfrastructure.postgres();
        Flyway.configure().dataSource(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD)
                .schemas("gateway").defaultSchema("gateway").load().migrate();
        vertx = Vertx.vertx();
    }

    @BeforeEach
    void provider() throws Exception {
        llm = FakeLlmServer.start();
        http = TestHttpClient.create();
        // a first exchange warms the client up, so admissions are not noted late behind its start
        http.send(chatRequest("warm-up"), HttpResponse.BodyHandlers.discarding());
        llm.reset();
        llm.groupBy(request -> request.header(REPOSITORY_HEADER).orElse("?"));
        Pool pool = pool();
        // what earlier tests left (a killed replica's holds, rate buckets) must not limit this one
        for (String table : List.of("admission_rate", "admission_grant", "admission_replica")) {
            pool.query("DELETE FROM gateway." + table).execute().await().atMost(Duration.ofSeconds(10));
        }
        pool.closeAndAwait();
    }

    @AfterEach
    void stop() {
        replicas.forEach(Replica::close);
        llm.close();
    }

    @Test
    void two_hundred_requests_over_three_replicas_never_exceed_the_global_or_a_repository_limit() {
        AdmissionLimits limits = limits(6, 2, 0, 0, Duration.ofMinutes(1));
        startReplicas(3, limits, Duration.ofSeconds(10));
        llm.latency(Duration.ofMillis(20));

        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Replica replica = replicas.get(i % 3);
            calls.add(replica.call("repo-" + (i % 10), 10));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();

        assertThat(calls).allSatisfy(call -> assertThat(call.join()).isEqualTo(200));
        assertThat(llm.chatRequests()).hasSize(200);
        // three replicas with local limits only would have had 18 (and 6 per repository) in flight
        assertThat(llm.maxInFlight()).isLessThanOrEqualTo(6).isGreaterThanOrEqualTo(4);
        assertThat(llm.maxInFlightByGroup()).hasSize(10)
                .allSatisfy((repository, peak) -> assertThat(peak).as(repository).isLessThanOrEqualTo(2));
        // slots nobody uses any more go back within two rebalance intervals
        await().atMost(REBALANCE.multipliedBy(2).plusSeconds(1)).until(() -> holds() == 0);
    }

    @Test
    void a_replica_admits_from_what_it_holds_without_a_statement_per_request() throws Exception {
        // limits on, rate windows too: what a gateway under steady load does
        startReplicas(2, limits(8, 4, 1_000_000, 1_000_000_000L, Duration.ofMinutes(1)), Duration.ofSeconds(10));
        Replica replica = replicas.get(0);
        long before = replica.shared.exchanges();
        long started = System.nanoTime();
        for (int i = 0; i < 2_000; i++) {
            AdmissionScheduler.Permit permit = replica.scheduler.acquire("steady", Priority.BATCH, 100)
                    .get(5, TimeUnit.SECONDS);
            permit.release(90);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // one claim for the slot; the allowance doubling from 1 to 2,000 requests (11 claims, 12 with one to spare);
        // one renewal per rate bucket (a sixtieth of the minute's window) and up to two exchanges per rebalance
        // interval: a few dozen, not 2,000
        long buckets = took.toNanos() / Duration.ofMinutes(1).dividedBy(60).toNanos() + 1;
        long bound = 13 + buckets + 2 * (took.toNanos() / REBALANCE.toNanos() + 1);
        assertThat(replica.shared.exchanges() - before).isLessThanOrEqualTo(bound).isLessThan(500);

        // and the other replica still gets the slots the first one no longer uses
        assertThat(replicas.get(1).call("steady", 10).get(5, TimeUnit.SECONDS)).isEqualTo(200);
    }

    @Test
    void the_request_window_holds_over_three_replicas() {
        Duration window = Duration.ofSeconds(1);
        startReplicas(3, limits(20, 20, 8, 0, window), Duration.ofSeconds(10));
        ConcurrentLinkedQueue<Long> admissions = new ConcurrentLinkedQueue<>();

        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            calls.add(replicas.get(i % 3).call("repo-" + (i % 4), 10, admissions));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(calls).allSatisfy(call -> assertThat(call.join()).isEqualTo(200));
        // The window is held on the database's clock; the replicas learn of admissions a moment
        // later, so it is checked over 90 % of the window. Three replicas alone would admit all 24 at once.
        assertThat(mostInAnyInterval(admissions, window.multipliedBy(9).dividedBy(10))).isLessThanOrEqualTo(8);
        assertThat(llm.chatRequests()).hasSize(24);
    }

    @Test
    void the_token_window_holds_over_three_replicas() {
        Duration window = Duration.ofSeconds(1);
        startReplicas(3, limits(20, 20, 0, 1_000, window), Duration.ofSeconds(10));
        ConcurrentLinkedQueue<Long> admissions = new ConcurrentLinkedQueue<>();

        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            // 250 tokens each: four fit the window
            calls.add(replicas.get(i % 3).call("repo-" + (i % 4), 250, admissions));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(calls).allSatisfy(call -> assertThat(call.join()).isEqualTo(200));
        assertThat(mostInAnyInterval(admissions, window.multipliedBy(9).dividedBy(10))).isLessThanOrEqualTo(4);
        assertThat(llm.chatRequests()).hasSize(24);
    }

    @Test
    void a_killed_replica_gives_its_slots_back_within_the_lease() throws Exception {
        AdmissionLimits limits = limits(6, 6, 0, 0, Duration.ofMinutes(1));
        Duration lease = Duration.ofSeconds(1);
        // The survivors' lease is longer: with 1 s, a survivor whose heartbeat a loaded machine delays by two thirds
        // of a second loses its own lease, and the others are given its slots while its calls run (the stalled
        // replica's case below; the likely cause of 7 in flight for 6, seen once). What a dead replica's slots wait
        // for beyond its lease is a survivor's heartbeat interval: a third of the survivors' lease.
        Duration survivorsLease = Duration.ofSeconds(3);
        Duration survivorsHeartbeat = survivorsLease.dividedBy(3);
        replicas.add(new Replica(limits, survivorsLease));
        replicas.add(new Replica(limits, survivorsLease));
        Replica dying = new Replica(limits, lease);
        replicas.add(dying);
        // mid-load: the dying replica holds three slots whose calls never end
        List<AdmissionScheduler.Permit> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(dying.scheduler.acquire("repo-dying", Priority.BATCH, 10).get(5, TimeUnit.SECONDS));
        }
        assertThat(holds()).isEqualTo(3);
        dying.kill();
        long killedAt = System.nanoTime();
        llm.latency(Duration.ofMillis(300));

        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(replicas.get(i % 2).call("repo-" + (i % 10), 10));
        }
        // while the dying replica's grants stand, the survivors share the three free slots only (checked when they
        // still stand after the peak was read: a machine that slept the test past the lease leaves nothing to check)
        Thread.sleep(lease.toMillis() / 2);
        int peakWhileHeld = llm.maxInFlight();
        if (slotsOf(dying) == 3) {
            assertThat(peakWhileHeld).isLessThanOrEqualTo(3);
        }
        await().atMost(lease.plus(survivorsHeartbeat).plusSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> llm.inFlight() == 6);
        Duration returnedAfter = Duration.ofNanos(System.nanoTime() - killedAt);
        // its lease plus one heartbeat interval of a survivor, with room for the machine
        assertThat(returnedAfter).isLessThan(lease.plus(survivorsHeartbeat).plusMillis(700));
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(calls).allSatisfy(call -> assertThat(call.join()).isEqualTo(200));
        assertThat(llm.maxInFlight()).isLessThanOrEqualTo(6);
        assertThat(held).hasSize(3);
    }

    @Test
    void a_replica_stalled_beyond_its_lease_says_so_and_its_calls_still_in_flight_count_again_once_it_is_back()
            throws Exception {
        AdmissionLimits limits = limits(2, 2, 0, 0, Duration.ofMinutes(1));
        Replica stalled = new Replica(limits, Duration.ofMillis(1500));
        replicas.add(stalled);
        // heartbeats every 300 ms: one of them frees a lease that ran out
        Replica other = new Replica(limits, Duration.ofMillis(900));
        replicas.add(other);
        List<AdmissionScheduler.Permit> running = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            running.add(stalled.scheduler.acquire("repo", Priority.BATCH, 10).get(5, TimeUnit.SECONDS));
        }
        CompletableFuture<AdmissionScheduler.Permit> waiting = other.scheduler.acquire("repo", Priority.BATCH, 10);

        AdmissionScheduler.Permit admitted;
        try (CapturedLog log = CapturedLog.attach()) {
            // The stalled replica's timer thread (its heartbeat, its rebalancing) stops, as in a long GC pause or on
            // an overloaded machine: its lease runs out, and the other replica's heartbeat gives its slots away
            // while its two calls still run. Three in flight for a limit of two: the price of a stall (documented).
            CountDownLatch stallEnds = new CountDownLatch(1);
            stalled.ticker.schedule(0, () -> {
                try {
                    stallEnds.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            admitted = waiting.get(10, TimeUnit.SECONDS);
            assertThat(slotsOf(stalled)).as("the stalled replica's grants are gone").isZero();
            stallEnds.countDown();

            // back, it says so: which replica, how late, what it means
            String lost = "Gateway replica " + stalled.shared.replica() + " lost its shared admission lease";
            await().atMost(Duration.ofSeconds(10)).until(() -> log.text().contains(lost));
            assertThat(log.lines()).filteredOn(line -> line.contains(lost)).first().asString()
                    .containsPattern("heartbeat came \\d+ ms after the last renewal, \\d+ ms beyond the lease of "
                            + "1500 ms")
                    .contains("while 2 of its requests were in flight");
        }

        // Its two calls in flight count again: once the other's request ends, they get their slots back and the
        // other's next request waits until one of them ends.
        admitted.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> slotsOf(stalled) == 2);
        CompletableFuture<AdmissionScheduler.Permit> next = other.scheduler.acquire("repo", Priority.BATCH, 10);
        Thread.sleep(300);
        assertThat(next).as("admitted beside the stalled replica's two calls").isNotDone();
        running.get(0).release();
        next.get(10, TimeUnit.SECONDS).release();
        running.get(1).release();
    }

    @Test
    void the_admission_state_is_unlogged_and_replicas_go_on_when_it_comes_back_empty_as_after_a_database_crash()
            throws Exception {
        // written without WAL: an admission commits without waiting for a flush
        Pool pool = pool();
        try {
            assertThat(pool.query("SELECT relname, relpersistence FROM pg_class c JOIN pg_namespace n "
                            + "ON n.oid = c.relnamespace WHERE n.nspname = 'gateway' AND relname IN "
                            + "('admission_replica', 'admission_grant', 'admission_rate')").execute()
                    .await().atMost(Duration.ofSeconds(10)))
                    .extracting(row -> row.getString("relname") + "=" + row.getString("relpersistence"))
                    .containsExactlyInAnyOrder("admission_replica=u", "admission_grant=u", "admission_rate=u");
        } finally {
            pool.closeAndAwait();
        }
        startReplicas(2, limits(2, 2, 100, 0, Duration.ofMinutes(1)), Duration.ofSeconds(10));
        assertThat(replicas.get(0).call("repo", 10).get(5, TimeUnit.SECONDS)).isEqualTo(200);

        // what a crash of PostgreSQL leaves of unlogged tables: nothing, leases included
        Pool crash = pool();
        try {
            crash.query("TRUNCATE gateway.admission_grant, gateway.admission_rate, gateway.admission_replica").execute()
                    .await().atMost(Duration.ofSeconds(10));
        } finally {
            crash.closeAndAwait();
        }

        // each replica finds its lease gone, registers again and admits: no request is lost to it
        assertThat(replicas.get(0).call("repo", 10).get(10, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(replicas.get(1).call("repo", 10).get(10, TimeUnit.SECONDS)).isEqualTo(200);
        // releases are sent after the answer, off its path
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(holds()).isZero());
    }

    @Test
    void a_replica_that_stops_cleanly_gives_its_slots_back_at_once() throws Exception {
        startReplicas(2, limits(2, 2, 0, 0, Duration.ofMinutes(1)), Duration.ofSeconds(20));
        Replica leaving = replicas.get(1);
        leaving.scheduler.acquire("repo", Priority.BATCH, 10).get(5, TimeUnit.SECONDS);
        leaving.scheduler.acquire("repo", Priority.BATCH, 10).get(5, TimeUnit.SECONDS);

        CompletableFuture<Integer> waiting = replicas.get(0).call("repo", 10);
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        leaving.close();

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(200);
    }

    @Test
    void interactive_requests_go_before_batch_within_a_replica_while_the_others_hold_the_slots() throws Exception {
        startReplicas(2, limits(1, 1, 0, 0, Duration.ofMinutes(1)), Duration.ofSeconds(10));
        AdmissionScheduler.Permit other = replicas.get(1).scheduler.acquire("repo", Priority.BATCH, 10)
                .get(5, TimeUnit.SECONDS);
        AdmissionScheduler local = replicas.get(0).scheduler;
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<AdmissionScheduler.Permit> batch = local.acquire("repo", Priority.BATCH, 10);
        batch.thenAccept(permit -> {
            order.add("batch");
            permit.release();
        });
        Thread.sleep(50);
        CompletableFuture<AdmissionScheduler.Permit> interactive = local.acquire("repo", Priority.INTERACTIVE, 10);
        interactive.thenAccept(permit -> {
            order.add("interactive");
            permit.release();
        });
        Thread.sleep(50);

        other.release();

        CompletableFuture.allOf(batch, interactive).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 2);
        assertThat(order).containsExactly("interactive", "batch");
    }

    @Test
    void a_busy_replica_does_not_keep_the_slots_while_another_replicas_requests_wait() throws Exception {
        startReplicas(2, limits(2, 2, 0, 0, Duration.ofMinutes(1)), Duration.ofSeconds(10));
        llm.latency(Duration.ofMillis(100));
        List<CompletableFuture<Integer>> flood = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            flood.add(replicas.get(0).call("busy", 10));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> llm.inFlight() == 2);

        List<CompletableFuture<Integer>> other = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            other.add(replicas.get(1).call("other", 10));
        }
        CompletableFuture.allOf(other.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        // The freed slots go to either replica about evenly (measured: the other replica's five were
        // through when 9-10 of the busy one's forty were): no repository starves behind another replica.
        assertThat(flood.stream().filter(CompletableFuture::isDone).count()).isLessThan(25);
        CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void budgets_over_three_replicas_are_never_overrun_when_calls_use_at_most_their_estimate() {
        String repository = "replicas/" + UUID.randomUUID();
        var config = TestConfig.of(Map.of("drep.gateway.budgets.repositories.\"" + repository + "\".tokens-per-day",
                "1000"));
        List<Pool> pools = List.of(pool(), pool(), pool());
        try {
            List<BudgetService> services = pools.stream().map(pool -> new BudgetService(config, pool)).toList();
            AtomicInteger admitted = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                BudgetService budgets = services.get(i % 3);
                // estimate 100, actual 60: settling frees room for more
                calls.add(budgets.reserve(repository, 100, BigDecimal.ZERO)
                        .chain(reservation -> {
                            admitted.incrementAndGet();
                            return reservation.settle(60, BigDecimal.ZERO);
                        })
                        .onFailure(BudgetExhaustedException.class).recoverWithItem(() -> {
                            refused.incrementAndGet();
                            return null;
                        })
                        .subscribeAsCompletionStage());
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();

            long spent = pools.get(0).preparedQuery("SELECT tokens FROM gateway.budget_usage WHERE scope = $1")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of("repository:" + repository))
                    .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("tokens");
            assertThat(spent).isLessThanOrEqualTo(1000).isEqualTo(60L * admitted.get());
            assertThat(refused.get()).isPositive();
            assertThat(admitted.get()).isGreaterThanOrEqualTo(10);
        } finally {
            pools.forEach(Pool::closeAndAwait);
        }
    }

    @Test
    void a_keys_requests_per_minute_and_budget_hold_over_three_replicas() {
        BudgetPlan.KeyAllowance key = new BudgetPlan.KeyAllowance(UUID.randomUUID().toString(), "team-replicas",
                OptionalLong.of(1000), OptionalLong.empty(), Optional.empty(), Optional.empty(), 12, 0);
        List<Pool> pools = List.of(pool(), pool(), pool());
        try {
            List<BudgetService> services = pools.stream().map(pool -> new BudgetService(TestConfig.of(Map.of()), pool))
                    .toList();
            AtomicInteger admitted = new AtomicInteger();
            AtomicInteger overRate = new AtomicInteger();
            AtomicInteger overBudget = new AtomicInteger();
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                // estimate 100, actual 60; 12 requests a minute and 1,000 tokens a day for the key
                calls.add(services.get(i % 3).reserve("replicas/keyed", key, 100, BigDecimal.ZERO)
                        .chain(reservation -> {
                            admitted.incrementAndGet();
                            return reservation.settle(60, BigDecimal.ZERO);
                        })
                        .onFailure(KeyRateLimitedException.class).recoverWithItem(e -> {
                            assertThat(((KeyRateLimitedException) e).retryAfter()).isPositive();
                            overRate.incrementAndGet();
                            return null;
                        })
                        .onFailure(BudgetExhaustedException.class).recoverWithItem(() -> {
                            overBudget.incrementAndGet();
                            return null;
                        })
                        .subscribeAsCompletionStage());
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();

            long spent = pools.get(0).preparedQuery("SELECT tokens FROM gateway.budget_usage WHERE scope = $1")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(key.scope()))
                    .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("tokens");
            long windowTokens = pools.get(0).preparedQuery("SELECT sum(tokens) FROM gateway.key_rate WHERE key_id = $1")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(key.id())))
                    .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
            // all 60 asked at once: at most 10 fit the 1,000-token budget at their estimate, so the window never fills
            assertThat(admitted.get()).isBetween(10, 12);
            assertThat(spent).isLessThanOrEqualTo(1000).isEqualTo(60L * admitted.get());
            assertThat(windowTokens).as("the window is corrected to the tokens used").isEqualTo(60L * admitted.get());
            assertThat(admitted.get() + overRate.get() + overBudget.get()).isEqualTo(60);

            // now the minute's window: 12 requests at most over the three, whatever the budget leaves
            BudgetPlan.KeyAllowance rateOnly = new BudgetPlan.KeyAllowance(UUID.randomUUID().toString(), "rate-only",
                    OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty(), 12, 0);
            AtomicInteger passed = new AtomicInteger();
            List<CompletableFuture<Void>> more = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                more.add(services.get(i % 3).reserve("replicas/keyed", rateOnly, 100, BigDecimal.ZERO)
                        .invoke(ignored -> passed.incrementAndGet()).replaceWithVoid()
                        .onFailure(KeyRateLimitedException.class).recoverWithNull()
                        .subscribeAsCompletionStage());
            }
            CompletableFuture.allOf(more.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
            assertThat(passed.get()).isEqualTo(12);
        } finally {
            pools.forEach(Pool::closeAndAwait);
        }
    }

    // ------------------------------------------------------------------ helpers

    private HttpRequest chatRequest(String repository) {
        return HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json")
                .header(REPOSITORY_HEADER, repository)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
    }

    private static AdmissionLimits limits(int max, int perRepository, int requests, long tokens, Duration window) {
        return new AdmissionLimits(max, perRepository, requests, tokens, window, Duration.ofSeconds(30), 10_000);
    }

    private void startReplicas(int n, AdmissionLimits limits, Duration lease) {
        for (int i = 0; i < n; i++) {
            replicas.add(new Replica(limits, lease));
        }
    }

    private static int mostInAnyInterval(ConcurrentLinkedQueue<Long> times, Duration length) {
        List<Long> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        int most = 0;
        int start = 0;
        for (int end = 0; end < sorted.size(); end++) {
            while (sorted.get(end) - sorted.get(start) >= length.toNanos()) {
                start++;
            }
            most = Math.max(most, end - start + 1);
        }
        return most;
    }

    /** @return the slots the shared state grants {@code replica} now */
    private long slotsOf(Replica replica) {
        Pool pool = pool();
        try {
            return pool.preparedQuery("SELECT coalesce(sum(slots), 0) AS n FROM gateway.admission_grant "
                            + "WHERE replica_id = $1")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(replica.shared.replica()))
                    .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
        } finally {
            pool.closeAndAwait();
        }
    }

    private long holds() {
        Pool pool = pool();
        try {
            return pool.query("SELECT coalesce(sum(slots), 0) AS n FROM gateway.admission_grant").execute()
                    .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
        } finally {
            pool.closeAndAwait();
        }
    }

    private static Pool pool() {
        PgConnectOptions connect = PgConnectOptions.fromUri(postgres.reactiveUrl())
                .setUser(LocalPostgres.USER).setPassword(LocalPostgres.PASSWORD);
        return PgPool.pool(vertx, connect, new PoolOptions().setMaxSize(4));
    }

    /** One gateway replica's admission: its own pool, timer and lease. */
    private final class Replica {
        final SystemTicker ticker = new SystemTicker("replica-timer");
        final Pool pool = pool();
        final PostgresSharedLimits shared;
        final AdmissionScheduler scheduler;
        boolean dead;

        Replica(AdmissionLimits limits, Duration lease) {
            shared = new PostgresSharedLimits(pool, limits, ticker, UUID.randomUUID(), lease, REBALANCE);
            shared.start().await().atMost(Duration.ofSeconds(10));
            scheduler = new AdmissionScheduler(limits, ticker, shared, Duration.ofMillis(10));
        }

        /** Admission, the provider call, release: what the gateway does for one request. */
        CompletableFuture<Integer> call(String repository, long tokens) {
            return call(repository, tokens, new ConcurrentLinkedQueue<>());
        }

        /** The same, noting when the request was admitted. */
        CompletableFuture<Integer> call(String repository, long tokens, ConcurrentLinkedQueue<Long> admissions) {
            return scheduler.acquire(repository, Priority.BATCH, tokens).thenCompose(permit -> {
                admissions.add(System.nanoTime());
                return http.sendAsync(chatRequest(repository), HttpResponse.BodyHandlers.discarding())
                        .whenComplete((response, failure) -> permit.release(tokens))
                        .thenApply(HttpResponse::statusCode);
            });
        }

        /** Dies: no heartbeat, no release, the connections dropped. */
        void kill() {
            dead = true;
            ticker.close();
            pool.closeAndAwait();
        }

        void close() {
            if (!dead) {
                dead = true;
                shared.close();
                ticker.close();
                pool.closeAndAwait();
            }
        }
    }
}
