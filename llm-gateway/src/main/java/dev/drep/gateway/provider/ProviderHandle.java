package dev.drep.gateway.provider;

import dev.drep.gateway.resilience.AdaptiveConcurrencyLimiter;
import dev.drep.gateway.resilience.CircuitBreaker;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One configured provider with the state the gateway keeps about it: its circuit breaker, its
 * adaptive concurrency limit and any pause it asked for ({@code Retry-After}, exhausted rate-limit
 * headers), which {@link ProviderSignals} feeds from the provider's responses.
 */
public final class ProviderHandle {

    private final String name;
    private final String baseUrl;
    private final ChatClient client;
    private final Supplier<CircuitBreaker> newBreaker;
    private final Supplier<AdaptiveConcurrencyLimiter> newLimiter;
    private volatile CircuitBreaker breaker;
    private volatile AdaptiveConcurrencyLimiter limiter;

    /**
     * @param name       the provider's name in the configuration
     * @param baseUrl    its base URL, which {@link ProviderSignals} matches responses against
     * @param client     what runs completions on it
     * @param newBreaker makes its circuit breaker (again, on {@link #resetHealth()})
     * @param newLimiter makes its concurrency limiter (again, on {@link #resetHealth()})
     */
    public ProviderHandle(String name, String baseUrl, ChatClient client, Supplier<CircuitBreaker> newBreaker,
            Supplier<AdaptiveConcurrencyLimiter> newLimiter) {
        this.name = Objects.requireNonNull(name, "name");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.client = Objects.requireNonNull(client, "client");
        this.newBreaker = newBreaker;
        this.newLimiter = newLimiter;
        this.breaker = newBreaker.get();
        this.limiter = newLimiter.get();
    }

    /** @return the provider's name */
    public String name() {
        return name;
    }

    /** @return its base URL (may hold user-info; use {@link ProviderEndpoint#displayUrl()} to show it) */
    public String baseUrl() {
        return baseUrl;
    }

    /** @return what runs completions on it */
    public ChatClient client() {
        return client;
    }

    /** @return its circuit breaker */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** @return its adaptive concurrency limiter */
    public AdaptiveConcurrencyLimiter limiter() {
        return limiter;
    }

    /**
     * The provider asked the gateway to wait: no new call to it starts before the wait is over.
     *
     * @param wait what its response headers asked for
     */
    public void requestedWait(Duration wait) {
        limiter.pauseFor(wait);
    }

    /**
     * Forgets failures, pauses and the adapted limit, as after a restart. Calls in flight keep the
     * slots they hold in the old limiter; used by operators' tooling and tests.
     */
    public void resetHealth() {
        breaker = newBreaker.get();
        limiter = newLimiter.get();
    }
}
