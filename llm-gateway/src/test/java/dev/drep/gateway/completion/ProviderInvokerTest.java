package dev.drep.gateway.completion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.gateway.model.ModelRoute;
import dev.drep.gateway.provider.ChatClient;
import dev.drep.gateway.provider.FailureKind;
import dev.drep.gateway.provider.GenerationParameters;
import dev.drep.gateway.provider.ProviderHandle;
import dev.drep.gateway.provider.ProviderMessage;
import dev.drep.gateway.provider.ProviderRequest;
import dev.drep.gateway.provider.ProviderResult;
import dev.drep.gateway.resilience.AdaptiveConcurrencyLimiter;
import dev.drep.gateway.resilience.CircuitBreaker;
import dev.drep.gateway.resilience.RetryPolicy;
import dev.drep.gateway.time.ManualTicker;
import java.time.Duration;
import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ProviderInvokerTest {

    private static final ModelRoute PRIMARY = new ModelRoute("primary", "p1", "model-1", 4096);
    private static final ModelRoute SECONDARY = new ModelRoute("secondary", "p2", "model-2", 4096);
    private static final ProviderResult OK = new ProviderResult.Completed("id", "fine", "stop", null);

    private final ManualTicker ticker = new ManualTicker();
    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofSeconds(5));
    private final List<String> events = new ArrayList<>();
    private final ProviderInvoker invoker = new ProviderInvoker(policy, ticker, () -> 0.5,
            new ProviderInvoker.Listener() {
                @Override
                public void retry(ModelRoute route, FailureKind kind) {
                    events.add("retry " + route.alias() + " " + kind);
                }

                @Override
                public void fallback(ModelRoute from, ModelRoute to) {
                    events.add("fallback " + from.alias() + " -> " + to.alias());
                }
            });

    /** Answers with its script in order, repeating the last entry. */
    private static final class Scripted implements ChatClient {
        final Deque<ProviderResult> script;
        final List<ProviderRequest> calls = new ArrayList<>();

        Scripted(ProviderResult... results) {
            script = new ArrayDeque<>(Arrays.asList(results));
        }

        @Override
        public Uni<ProviderResult> chat(ProviderRequest request) {
            return Uni.createFrom().item(() -> {
                calls.add(request);
                return script.size() > 1 ? script.poll() : script.peek();
            });
        }
    }

    private static ProviderResult failed(FailureKind kind) {
        return new ProviderResult.Failed(kind, kind + " happened");
    }

    private ProviderHandle provider(String name, ChatClient client) {
        return new ProviderHandle(name, "http://" + name + "/v1", client,
                () -> new CircuitBreaker(5, Duration.ofSeconds(60), ticker),
                () -> new AdaptiveConcurrencyLimiter(4, ticker));
    }

    private ProviderInvoker.Invocation run(ProviderHandle first, ProviderHandle second) {
        List<ProviderInvoker.Target> chain = second == null
                ? List.of(new ProviderInvoker.Target(PRIMARY, first))
                : List.of(new ProviderInvoker.Target(PRIMARY, first), new ProviderInvoker.Target(SECONDARY, second));
        CompletableFuture<ProviderInvoker.Invocation> done = invoker.invoke(chain, route -> new ProviderRequest(
                route.providerModel(), List.of(new ProviderMessage(ProviderMessage.Role.USER, "hi", null)),
                GenerationParameters.none())).subscribeAsCompletionStage();
        for (int i = 0; i < 1000 && !done.isDone(); i++) {
            ticker.advance(Duration.ofMillis(10));
        }
        assertThat(done).isCompleted();
        return done.join();
    }

    @Test
    void transientFailuresAreRetriedWithBackoffThenFallBack() {
        Scripted primary = new Scripted(failed(FailureKind.RATE_LIMITED));
        Scripted secondary = new Scripted(OK);
        long start = ticker.nanoTime();

        ProviderInvoker.Invocation invocation = run(provider("p1", primary), provider("p2", secondary));

        assertThat(primary.calls).hasSize(3).allSatisfy(r -> assertThat(r.model()).isEqualTo("model-1"));
        assertThat(secondary.calls).singleElement().satisfies(r -> assertThat(r.model()).isEqualTo("model-2"));
        assertThat(invocation.servedBy()).isEqualTo(SECONDARY);
        assertThat(invocation.completed()).isEqualTo(OK);
        assertThat(invocation.attempts()).hasSize(4);
        assertThat(events).containsExactly("retry primary RATE_LIMITED", "retry primary RATE_LIMITED",
                "fallback primary -> secondary");
        // backoff 75 ms then 150 ms (half fixed, half "random" 0.5)
        assertThat(Duration.ofNanos(ticker.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(225));
    }

    @Test
    void aServerErrorIsRetriedOnTheSameModel() {
        Scripted primary = new Scripted(failed(FailureKind.PROVIDER_ERROR), OK);
        Scripted secondary = new Scripted(OK);

        ProviderInvoker.Invocation invocation = run(provider("p1", primary), provider("p2", secondary));

        assertThat(invocation.servedBy()).isEqualTo(PRIMARY);
        assertThat(primary.calls).hasSize(2);
        assertThat(secondary.calls).isEmpty();
    }

    @Test
    void timeoutsAndRefusedConnectionsFallBack() {
        for (FailureKind kind : List.of(FailureKind.TIMEOUT, FailureKind.UNREACHABLE)) {
            Scripted secondary = new Scripted(OK);
            ProviderInvoker.Invocation invocation = run(provider("p1", new Scripted(failed(kind))),
                    provider("p2", secondary));
            assertThat(invocation.servedBy()).as(kind.name()).isEqualTo(SECONDARY);
        }
    }

    @Test
    void aRejectedRequestIsNeitherRetriedNorFallenBack() {
        for (FailureKind kind : List.of(FailureKind.REJECTED, FailureKind.AUTHENTICATION,
                FailureKind.MODEL_NOT_FOUND, FailureKind.BAD_RESPONSE)) {
            Scripted primary = new Scripted(failed(kind));
            Scripted secondary = new Scripted(OK);

            ProviderInvoker.Invocation invocation = run(provider("p1", primary), provider("p2", secondary));

            assertThat(primary.calls).as(kind.name()).hasSize(1);
            assertThat(secondary.calls).as(kind.name()).isEmpty();
            assertThat(invocation.completed()).isNull();
            assertThat(invocation.lastFailure().kind()).isEqualTo(kind);
        }
    }

    @Test
    void theLastFailureIsReportedWhenEveryModelFails() {
        ProviderInvoker.Invocation invocation = run(provider("p1", new Scripted(failed(FailureKind.TIMEOUT))),
                provider("p2", new Scripted(failed(FailureKind.PROVIDER_ERROR))));

        assertThat(invocation.completed()).isNull();
        assertThat(invocation.attempts()).hasSize(6);
        assertThat(invocation.lastFailure().kind()).isEqualTo(FailureKind.PROVIDER_ERROR);
        assertThat(invocation.lastRoute()).isEqualTo(SECONDARY);
    }

    @Test
    void anOpenBreakerSkipsItsProviderWithoutACall() {
        ProviderHandle broken = provider("p1", new Scripted(failed(FailureKind.PROVIDER_ERROR)));
        for (int i = 0; i < 5; i++) {
            broken.breaker().tryAcquire();
            broken.breaker().onFailure();
        }
        Scripted calls = (Scripted) broken.client();
        Scripted secondary = new Scripted(OK);

        ProviderInvoker.Invocation invocation = run(broken, provider("p2", secondary));

        assertThat(calls.calls).isEmpty();
        assertThat(invocation.servedBy()).isEqualTo(SECONDARY);
        assertThat(invocation.skip()).isEqualTo(ProviderInvoker.Skip.CIRCUIT_OPEN);
    }

    @Test
    void whenEveryBreakerIsOpenNothingIsCalledAndTheWaitIsReported() {
        ProviderHandle broken = provider("p1", new Scripted(OK));
        for (int i = 0; i < 5; i++) {
            broken.breaker().tryAcquire();
            broken.breaker().onFailure();
        }

        ProviderInvoker.Invocation invocation = run(broken, null);

        assertThat(invocation.attempts()).isEmpty();
        assertThat(invocation.skip()).isEqualTo(ProviderInvoker.Skip.CIRCUIT_OPEN);
        assertThat(invocation.retryAfter()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void repeatedFailuresOpenTheBreaker() {
        ProviderHandle failing = provider("p1", new Scripted(failed(FailureKind.PROVIDER_ERROR)));

        run(failing, null);
        run(failing, null);

        // 3 + 2 failed calls; the sixth attempt found the breaker open
        assertThat(((Scripted) failing.client()).calls).hasSize(5);
        assertThat(failing.breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aShortPauseTheProviderAskedForIsWaitedOut() {
        ProviderHandle paused = provider("p1", new Scripted(OK));
        paused.requestedWait(Duration.ofSeconds(2));
        long start = ticker.nanoTime();

        ProviderInvoker.Invocation invocation = run(paused, null);

        assertThat(invocation.servedBy()).isEqualTo(PRIMARY);
        assertThat(Duration.ofNanos(ticker.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aLongPauseSkipsTheProvider() {
        ProviderHandle paused = provider("p1", new Scripted(OK));
        paused.requestedWait(Duration.ofSeconds(30));
        Scripted secondary = new Scripted(OK);

        ProviderInvoker.Invocation invocation = run(paused, provider("p2", secondary));

        assertThat(((Scripted) paused.client()).calls).isEmpty();
        assertThat(invocation.servedBy()).isEqualTo(SECONDARY);
        assertThat(invocation.skip()).isEqualTo(ProviderInvoker.Skip.PAUSED);
        assertThat(invocation.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void a429LowersTheProvidersConcurrencyAndSuccessesRaiseIt() {
        ProviderHandle limited = provider("p1", new Scripted(failed(FailureKind.RATE_LIMITED), OK));

        run(limited, null);

        // 4 halved to 2 by the 429, then + 1/2 for the success
        assertThat(limited.limiter().limit()).isEqualTo(2);
        for (int i = 0; i < 10; i++) {
            run(limited, null);
        }
        assertThat(limited.limiter().limit()).isEqualTo(4);
    }

    @Test
    void aClientThatThrowsIsAProviderError() {
        ProviderHandle throwing = provider("p1", request -> {
            throw new IllegalStateException("bug");
        });

        ProviderInvoker.Invocation invocation = run(throwing, null);

        assertThat(invocation.lastFailure().kind()).isEqualTo(FailureKind.PROVIDER_ERROR);
        assertThat(throwing.limiter().inFlight()).isZero();
    }
}
