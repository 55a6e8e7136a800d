package dev.drep.gateway.metrics;

import dev.drep.gateway.completion.ProviderInvoker;
import dev.drep.gateway.ledger.UsageLedger;
import dev.drep.gateway.limits.AdmissionScheduler;
import dev.drep.gateway.model.ModelRoute;
import dev.drep.gateway.provider.FailureKind;
import dev.drep.gateway.provider.ProviderHandle;
import dev.drep.gateway.provider.ProviderRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's meters, all named {@code drep.gateway.*} (Prometheus: {@code drep_gateway_*}); the
 * README lists them. Gauges read the scheduler and the providers when scraped, so they cost nothing
 * per request.
 */
@ApplicationScoped
public class GatewayMetrics implements ProviderInvoker.Listener {

    private final MeterRegistry registry;
    private final AdmissionScheduler scheduler;
    private final Set<String> repositoriesWithGauge = ConcurrentHashMap.newKeySet();
    private final Timer queueWait;
    /** Meters with tags, looked up once per tag combination: building a meter's id on every call was ~2 % of CPU. */
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();

    /**
     * @param registry  Micrometer
     * @param scheduler the admission scheduler, for queue and in-flight gauges
     * @param providers the providers, for breaker and concurrency gauges
     * @param ledger    the usage ledger, for its failed writes
     */
    public GatewayMetrics(MeterRegistry registry, AdmissionScheduler scheduler, ProviderRegistry providers,
            UsageLedger ledger) {
        this.registry = registry;
        this.scheduler = scheduler;
        Gauge.builder("drep.gateway.queue.depth", scheduler, s -> s.snapshot().queuedInteractive())
                .tag("priority", "interactive").description("Requests waiting for admission").register(registry);
        Gauge.builder("drep.gateway.queue.depth", scheduler, s -> s.snapshot().queuedBatch())
                .tag("priority", "batch").description("Requests waiting for admission").register(registry);
        Gauge.builder("drep.gateway.in.flight", scheduler, s -> s.snapshot().inFlight())
                .description("Requests admitted and not finished").register(registry);
        Gauge.builder("drep.gateway.window.requests", scheduler, s -> s.snapshot().requestsInWindow())
                .description("Admissions inside the current rate window").register(registry);
        Gauge.builder("drep.gateway.window.tokens", scheduler, s -> s.snapshot().tokensInWindow())
                .description("Tokens charged inside the current rate window").register(registry);
        for (ProviderHandle provider : providers.all()) {
            Gauge.builder("drep.gateway.circuit.state", provider, p -> p.breaker().state().gaugeValue())
                    .tag("provider", provider.name())
                    .description("Circuit breaker state: 0 closed, 1 half-open, 2 open").register(registry);
            Gauge.builder("drep.gateway.provider.concurrency.limit", provider, p -> p.limiter().limit())
                    .tag("provider", provider.name())
                    .description("Adaptive concurrency limit of the provider").register(registry);
            Gauge.builder("drep.gateway.provider.in.flight", provider, p -> p.limiter().inFlight())
                    .tag("provider", provider.name()).description("Calls in flight to the provider")
                    .register(registry);
        }
        FunctionCounter.builder("drep.gateway.ledger.write.failures", ledger, UsageLedger::failedWrites)
                .description("Usage ledger rows that could not be written (dropped: the buffer was full while the"
                        + " database was away, or a stop could not write them)").register(registry);
        FunctionCounter.builder("drep.gateway.ledger.rows.written", ledger, UsageLedger::writtenRows)
                .description("Usage ledger rows written").register(registry);
        FunctionCounter.builder("drep.gateway.ledger.batches.written", ledger, UsageLedger::writtenBatches)
                .description("Inserts that wrote usage ledger rows (each a batch)").register(registry);
        queueWait = Timer.builder("drep.gateway.queue.wait").description("Time requests waited for admission")
                .publishPercentileHistogram().register(registry);
    }

    /**
     * A request was admitted.
     *
     * @param repository its repository bucket
     * @param waited     how long it waited
     */
    public void admitted(String repository, Duration waited) {
        queueWait.record(waited);
        // One gauge per repository seen, reading the scheduler: 0 while the repository is idle.
        if (repositoriesWithGauge.add(repository)) {
            Gauge.builder("drep.gateway.repository.in.flight", scheduler,
                            s -> s.snapshot().inFlightByRepository().getOrDefault(repository, 0))
                    .tag("repository", repository).description("Requests in flight per repository")
                    .register(registry);
        }
    }

    /**
     * A request was answered.
     *
     * @param alias   the alias that answered, or the one asked for
     * @param outcome {@code ok} or the error code
     * @param cache   {@code hit}, {@code miss}, {@code bypass} or {@code off}
     */
    public void request(String alias, String outcome, String cache) {
        counters.computeIfAbsent(List.of("requests", alias, outcome, cache), k -> Counter
                .builder("drep.gateway.requests").tag("alias", alias).tag("outcome", outcome).tag("cache", cache)
                .description("Requests answered").register(registry)).increment();
    }

    /**
     * Tokens and cost charged for a request.
     *
     * @param alias            the alias that answered
     * @param promptTokens     prompt tokens
     * @param completionTokens completion tokens
     * @param cost             cost in USD
     */
    public void usage(String alias, long promptTokens, long completionTokens, BigDecimal cost) {
        if (promptTokens > 0) {
            tokens(alias, "prompt").increment(promptTokens);
        }
        if (completionTokens > 0) {
            tokens(alias, "completion").increment(completionTokens);
        }
        if (cost.signum() > 0) {
            counters.computeIfAbsent(List.of("cost", alias), k -> Counter.builder("drep.gateway.cost.usd")
                    .tag("alias", alias).description("Cost charged in USD").register(registry))
                    .increment(cost.doubleValue());
        }
    }

    private Counter tokens(String alias, String type) {
        return counters.computeIfAbsent(List.of("tokens", alias, type), k -> Counter.builder("drep.gateway.tokens")
                .tag("alias", alias).tag("type", type).description("Tokens charged").register(registry));
    }

    /**
     * A provider call finished.
     *
     * @param provider the provider
     * @param outcome  {@code ok} or the failure kind
     * @param duration how long it took
     */
    public void providerCall(String provider, String outcome, Duration duration) {
        timers.computeIfAbsent(List.of(provider, outcome), k -> Timer.builder("drep.gateway.provider.latency")
                .tag("provider", provider).tag("outcome", outcome).description("Provider call time")
                .register(registry)).record(duration);
    }

    @Override
    public void retry(ModelRoute route, FailureKind kind) {
        Counter.builder("drep.gateway.retries").tag("alias", route.alias())
                .tag("reason", kind.name().toLowerCase(Locale.ROOT)).description("Retries of a model")
                .register(registry).increment();
    }

    @Override
    public void fallback(ModelRoute from, ModelRoute to) {
        Counter.builder("drep.gateway.fallbacks").tag("from", from.alias()).tag("to", to.alias())
                .description("Fallbacks from one alias to the next").register(registry).increment();
    }
}
