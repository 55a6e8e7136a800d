package dev.drep.gateway.completion;

import dev.drep.gateway.metadata.DrepMetadata;
import dev.drep.gateway.model.ModelRoute;
import dev.drep.gateway.provider.FailureKind;
import dev.drep.gateway.provider.ProviderHandle;
import dev.drep.gateway.provider.ProviderRequest;
import dev.drep.gateway.provider.ProviderResult;
import dev.drep.gateway.resilience.AdaptiveConcurrencyLimiter;
import dev.drep.gateway.resilience.CircuitBreaker;
import dev.drep.gateway.resilience.RetryPolicy;
import dev.drep.gateway.time.Ticker;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.jboss.logging.MDC;

/**
 * Runs one completion over a fallback chain: each model is tried up to
 * {@link RetryPolicy#maxAttempts()} times while it fails transiently (429, 5xx, timeout, refused
 * connection), with exponential backoff and jitter, waiting out any pause the provider asked for up
 * to {@link RetryPolicy#maxRetryAfter()}; then the next model of the chain is tried, but only after
 * a transient failure: a 4xx or a broken answer ends the chain at once. A provider whose circuit
 * breaker is open, or whose requested pause is too long, is skipped without a call.
 *
 * <p>Every call first takes a slot of the provider's adaptive concurrency limiter and reports its
 * outcome to the limiter and the breaker. No thread waits for a provider: calls are
 * non-blocking ({@link dev.drep.gateway.provider.ChatClient}). Waits use the {@link Ticker}, so tests can run on a manual clock. The call runs
 * within the {@link Origin} of the completion: its trace is the parent of the provider call's span
 * and its job id is on the log lines of its start.
 */
public final class ProviderInvoker {

    /** Hooks for metrics. */
    public interface Listener {
        /** No hooks. */
        Listener NONE = new Listener() {
        };

        /**
         * @param route the model about to be retried
         * @param kind  why the previous attempt failed
         */
        default void retry(ModelRoute route, FailureKind kind) {
        }

        /**
         * @param from the model given up on
         * @param to   the next model tried
         */
        default void fallback(ModelRoute from, ModelRoute to) {
        }
    }

    /**
     * One model of a chain with the provider it runs on.
     *
     * @param route    the model
     * @param provider its provider
     */
    public record Target(ModelRoute route, ProviderHandle provider) {
    }

    /**
     * One call made to a provider.
     *
     * @param route    the model called
     * @param result   what came back
     * @param duration how long the call took
     */
    public record Attempt(ModelRoute route, ProviderResult result, Duration duration) {
    }

    /**
     * Where the provider calls of one completion belong. Captured on the request's own context when it
     * arrives: after a wait for admission the work may resume on the thread of another request.
     *
     * @param trace the request's OpenTelemetry context (its server span)
     * @param jobId the drep job ({@code X-Drep-Job}), or null
     */
    public record Origin(Context trace, String jobId) {
        /** @return the current context and no job */
        public static Origin current() {
            return new Origin(Context.current(), null);
        }

        /**
         * Makes the trace current and puts the job id in the log context (MDC) of the thread or Vert.x
         * context running now; closing restores what was there.
         *
         * @return what undoes it
         */
        public Scope enter() {
            Object previousJob = MDC.get(DrepMetadata.JOB_LOG_KEY);
            if (jobId != null) {
                MDC.put(DrepMetadata.JOB_LOG_KEY, jobId);
            }
            Scope traceScope = trace.makeCurrent();
            return () -> {
                traceScope.close();
                if (previousJob == null) {
                    MDC.remove(DrepMetadata.JOB_LOG_KEY);
                } else {
                    MDC.put(DrepMetadata.JOB_LOG_KEY, previousJob);
                }
            };
        }
    }

    /** Why a model of the chain was not called at all. */
    public enum Skip {
        /** Its provider's circuit breaker is open. */
        CIRCUIT_OPEN,
        /** Its provider asked for a pause longer than the gateway waits. */
        PAUSED
    }

    private final RetryPolicy policy;
    private final Ticker ticker;
    private final DoubleSupplier random;
    private final Listener listener;

    /**
     * @param policy   retries per model
     * @param ticker   time and timers for backoff
     * @param random   uniform in [0, 1), for jitter
     * @param listener metrics hooks
     */
    public ProviderInvoker(RetryPolicy policy, Ticker ticker, DoubleSupplier random, Listener listener) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.random = Objects.requireNonNull(random, "random");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * @param chain    the models to try, in order (at least one)
     * @param requests the provider request for each model
     * @return what happened; never fails
     */
    public Uni<Invocation> invoke(List<Target> chain, Function<ModelRoute, ProviderRequest> requests) {
        return invoke(chain, requests, Origin.current());
    }

    /**
     * @param chain    the models to try, in order (at least one)
     * @param requests the provider request for each model
     * @param origin   the trace and job the calls belong to
     * @return what happened; never fails
     */
    public Uni<Invocation> invoke(List<Target> chain, Function<ModelRoute, ProviderRequest> requests, Origin origin) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a fallback chain needs at least one model");
        }
        Invocation invocation = new Invocation(origin);
        return next(chain, 0, requests, invocation).replaceWith(invocation);
    }

    private Uni<Void> next(List<Target> chain, int index, Function<ModelRoute, ProviderRequest> requests,
            Invocation invocation) {
        Target target = chain.get(index);
        return attempt(target, 1, requests, invocation).chain(() -> {
            if (invocation.completed != null || index + 1 >= chain.size()) {
                return Uni.createFrom().voidItem();
            }
            if (invocation.lastFailureOf(target.route()) != null
                    && !invocation.lastFailureOf(target.route()).kind().isTransient()) {
                // 400, 401, 404, broken answers: the next model would not fare better.
                return Uni.createFrom().voidItem();
            }
            listener.fallback(target.route(), chain.get(index + 1).route());
            return next(chain, index + 1, requests, invocation);
        });
    }

    private Uni<Void> attempt(Target target, int attempt, Function<ModelRoute, ProviderRequest> requests,
            Invocation invocation) {
        ProviderHandle provider = target.provider();
        AdaptiveConcurrencyLimiter limiter = provider.limiter();
        Duration pause = limiter.pauseRemaining();
        if (pause.compareTo(policy.maxRetryAfter()) > 0) {
            invocation.skipped(Skip.PAUSED, pause);
            return Uni.createFrom().voidItem();
        }
        CircuitBreaker breaker = provider.breaker();
        Duration open = breaker.tryAcquire();
        if (open != null) {
            invocation.skipped(Skip.CIRCUIT_OPEN, open);
            return Uni.createFrom().voidItem();
        }
        ProviderRequest request = requests.apply(target.route());
        return Uni.createFrom().completionStage(limiter::acquire)
                .chain(slot -> callWithin(invocation.origin, provider, request)
                        .invoke(result -> {
                            if (result.result() instanceof ProviderResult.Completed done && done.stream() != null) {
                                // A stream holds its slot of the provider's limit until it ends.
                                done.stream().onEnd(() -> slot.release(AdaptiveConcurrencyLimiter.Signal.SUCCESS));
                            } else {
                                slot.release(limiterSignal(result.result()));
                            }
                            if (result.result() instanceof ProviderResult.Failed failed
                                    && failed.kind().countsAgainstBreaker()) {
                                breaker.onFailure();
                            } else {
                                breaker.onSuccess();
                            }
                        })
                        .map(result -> new Attempt(target.route(), result.result(), result.duration())))
                .chain(done -> {
                    invocation.record(done);
                    if (!(done.result() instanceof ProviderResult.Failed failed)) {
                        return Uni.createFrom().voidItem();
                    }
                    Duration requested = provider.limiter().pauseRemaining();
                    invocation.providerAskedToWait(requested);
                    if (!failed.kind().isTransient() || attempt >= policy.maxAttempts()
                            || requested.compareTo(policy.maxRetryAfter()) > 0) {
                        return Uni.createFrom().voidItem();
                    }
                    listener.retry(target.route(), failed.kind());
                    // A pause the provider asked for is waited out by the limiter; the backoff
                    // spreads out the retries of requests that failed together.
                    return sleep(policy.backoff(attempt, random))
                            .chain(() -> attempt(target, attempt + 1, requests, invocation));
                });
    }

    /**
     * Starts the call with the completion's trace current and its job id in the log context; nothing waits for it.
     */
    private Uni<Timed> callWithin(Origin origin, ProviderHandle provider, ProviderRequest request) {
        return Uni.createFrom().<Timed>emitter(emitter -> {
            long start = ticker.nanoTime();
            try (Scope ignored = origin.enter()) {
                provider.client().chat(request).subscribe().with(
                        result -> emitter.complete(new Timed(result, Duration.ofNanos(ticker.nanoTime() - start))),
                        failure -> emitter.complete(new Timed(unexpected(failure),
                                Duration.ofNanos(ticker.nanoTime() - start))));
            } catch (RuntimeException e) {
                emitter.complete(new Timed(unexpected(e), Duration.ofNanos(ticker.nanoTime() - start)));
            }
        });
    }

    /** ChatClient promises not to fail; if one does, it is a provider failure, not a crash. */
    private static ProviderResult unexpected(Throwable failure) {
        return new ProviderResult.Failed(FailureKind.PROVIDER_ERROR,
                "The call to the LLM provider failed (" + failure.getClass().getSimpleName() + ").");
    }

    private record Timed(ProviderResult result, Duration duration) {
    }

    private static AdaptiveConcurrencyLimiter.Signal limiterSignal(ProviderResult result) {
        if (result instanceof ProviderResult.Completed) {
            return AdaptiveConcurrencyLimiter.Signal.SUCCESS;
        }
        return ((ProviderResult.Failed) result).kind() == FailureKind.RATE_LIMITED
                ? AdaptiveConcurrencyLimiter.Signal.RATE_LIMITED
                : AdaptiveConcurrencyLimiter.Signal.IGNORE;
    }

    private Uni<Void> sleep(Duration duration) {
        return Uni.createFrom().emitter(emitter -> {
            Ticker.Cancellable timer = ticker.schedule(duration.toNanos(), () -> emitter.complete(null));
            emitter.onTermination(timer::cancel);
        });
    }

    /** What happened to one completion over its chain. Filled in sequence by one invocation. */
    public static final class Invocation {

        private final Origin origin;
        private final List<Attempt> attempts = new ArrayList<>();
        private ProviderResult.Completed completed;
        private ModelRoute servedBy;
        private Skip skip;
        private Duration retryAfter = Duration.ZERO;

        private Invocation(Origin origin) {
            this.origin = Objects.requireNonNull(origin, "origin");
        }

        private void record(Attempt attempt) {
            attempts.add(attempt);
            if (attempt.result() instanceof ProviderResult.Completed done) {
                completed = done;
                servedBy = attempt.route();
            }
        }

        private void skipped(Skip reason, Duration wait) {
            if (skip == null) {
                skip = reason;
            }
            providerAskedToWait(wait);
        }

        private void providerAskedToWait(Duration wait) {
            if (wait.compareTo(retryAfter) > 0) {
                retryAfter = wait;
            }
        }

        private ProviderResult.Failed lastFailureOf(ModelRoute route) {
            for (int i = attempts.size() - 1; i >= 0; i--) {
                Attempt attempt = attempts.get(i);
                if (attempt.route().equals(route)) {
                    return attempt.result() instanceof ProviderResult.Failed failed ? failed : null;
                }
            }
            return null;
        }

        /** @return every call made, in order */
        public List<Attempt> attempts() {
            return List.copyOf(attempts);
        }

        /** @return the answer, or {@code null} when every model failed or was skipped */
        public ProviderResult.Completed completed() {
            return completed;
        }

        /** @return the model that answered, or {@code null} */
        public ModelRoute servedBy() {
            return servedBy;
        }

        /** @return the last call's failure, or {@code null} when it succeeded or no call was made */
        public ProviderResult.Failed lastFailure() {
            if (attempts.isEmpty()) {
                return null;
            }
            return attempts.get(attempts.size() - 1).result() instanceof ProviderResult.Failed failed ? failed : null;
        }

        /** @return the model of the last call, or {@code null} when no call was made */
        public ModelRoute lastRoute() {
            return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).route();
        }

        /** @return why the first skipped model was skipped, or {@code null} when none was */
        public Skip skip() {
            return skip;
        }

        /** @return the longest wait a provider or breaker asked for; zero when none did */
        public Duration retryAfter() {
            return retryAfter;
        }

        /** @return the total time spent in provider calls */
        public Duration providerTime() {
            Duration total = Duration.ZERO;
            for (Attempt attempt : attempts) {
                total = total.plus(attempt.duration());
            }
            return total;
        }
    }
}
