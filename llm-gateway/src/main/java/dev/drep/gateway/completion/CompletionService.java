package dev.drep.gateway.completion;

import dev.drep.gateway.GatewayConfig;
import dev.drep.gateway.budget.BudgetExhaustedException;
import dev.drep.gateway.budget.BudgetPlan;
import dev.drep.gateway.budget.BudgetService;
import dev.drep.gateway.budget.KeyRateLimitedException;
import dev.drep.gateway.key.KeyPolicy;
import dev.drep.gateway.key.Keys;
import dev.drep.gateway.budget.PriceTable;
import dev.drep.gateway.cache.CacheKey;
import dev.drep.gateway.cache.CachedAnswer;
import dev.drep.gateway.cache.ResponseCache;
import dev.drep.gateway.error.BudgetDetail;
import dev.drep.gateway.error.ErrorAnswer;
import dev.drep.gateway.error.GatewayException;
import dev.drep.gateway.ledger.UsageEntry;
import dev.drep.gateway.ledger.UsageLedger;
import dev.drep.gateway.limits.AdmissionRejectedException;
import dev.drep.gateway.limits.AdmissionScheduler;
import dev.drep.gateway.metadata.DrepMetadata;
import dev.drep.gateway.metrics.GatewayMetrics;
import dev.drep.gateway.model.ModelCatalog;
import dev.drep.gateway.model.ModelRoute;
import dev.drep.gateway.provider.ProviderRegistry;
import dev.drep.gateway.provider.ProviderRequest;
import dev.drep.gateway.provider.ProviderResult;
import dev.drep.gateway.provider.TokenCounts;
import dev.drep.gateway.resilience.RetryPolicy;
import dev.drep.gateway.time.SystemTicker;
import dev.drep.gateway.tokens.TokenEstimator;
import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drep.gateway.provider.ProviderStream;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs one chat completion through the gateway's policies, in this order: resolve the alias (task
 * class routing), answer from the response cache if possible, reserve the token/cost estimate in
 * the budgets, wait for admission by the {@link AdmissionScheduler}, call the provider chain with
 * retries, circuit breakers and fallback ({@link ProviderInvoker}), then settle budgets and the
 * token window with the actual usage, store the answer in the cache and write the usage ledger.
 *
 * <p>Nothing blocks a thread while waiting, and nothing runs on a worker thread (provider calls are non-blocking).
 * Once a request is admitted its work runs to the end even if the client goes away, so permits,
 * reservations and the ledger are always settled; a client that leaves while still queued leaves
 * the queue at once.
 */
@ApplicationScoped
public class CompletionService {

    private static final Logger LOG = Logger.getLogger(CompletionService.class);
    /** Status recorded for requests whose client went away while they were queued (nginx's convention). */
    private static final int CLIENT_CLOSED_REQUEST = 499;

    private final ModelCatalog catalog;
    private final ProviderRegistry providers;
    private final AdmissionScheduler scheduler;
    private final BudgetService budgets;
    private final ResponseCache cache;
    private final UsageLedger ledger;
    private final GatewayMetrics metrics;
    private final PriceTable prices;
    private final ProviderInvoker invoker;
    private final CompletionLog log;

    /**
     * @param config    the gateway configuration
     * @param catalog   the model aliases
     * @param providers the providers aliases route to
     * @param scheduler admission under the concurrency and rate limits
     * @param budgets   token and cost budgets
     * @param cache     the response cache
     * @param ledger    the usage ledger
     * @param metrics   the gateway's meters
     * @param ticker    time and timers for retries
     * @param log       where the line of each request goes
     */
    public CompletionService(GatewayConfig config, ModelCatalog catalog, ProviderRegistry providers,
            AdmissionScheduler scheduler, BudgetService budgets, ResponseCache cache, UsageLedger ledger,
            GatewayMetrics metrics, SystemTicker ticker, CompletionLog log) {
        this.catalog = catalog;
        this.providers = providers;
        this.scheduler = scheduler;
        this.budgets = budgets;
        this.cache = cache;
        this.ledger = ledger;
        this.metrics = metrics;
        this.log = log;
        this.prices = new PriceTable(config.prices());
        GatewayConfig.Retry retry = config.retry();
        this.invoker = new ProviderInvoker(new RetryPolicy(retry.maxAttempts(), retry.initialBackoff(),
                retry.maxBackoff(), retry.maxRetryAfter()), ticker, () -> ThreadLocalRandom.current().nextDouble(), metrics);
    }

    /**
     * Runs a whole (not streamed) completion. A request made with a key is held to the key's allowed aliases, budgets
     * and windows besides the gateway's.
     *
     * @param command     the validated request
     * @param metadata    who asks and how urgently
     * @param bypassCache whether {@code X-Drep-Cache: bypass} was sent (the answer is still stored)
     * @param key         the caller's key, or {@code null}
     * @return the answer; fails with {@link GatewayException} for an unknown alias and every refusal
     *         or provider failure
     */
    public Uni<CompletionReply> complete(CompletionCommand command, DrepMetadata metadata, boolean bypassCache,
            KeyPolicy key) {
        Exchange exchange = exchange(command, metadata, bypassCache, key);
        return detached(run(exchange), exchange);
    }

    /**
     * Runs a streamed completion ({@code stream: true}) through the same policies as {@link #complete}: everything
     * up to the provider's acceptance of the request (cache, budgets, admission, retries and fallback) happens
     * before the reply, so its refusals and failures are ordinary HTTP errors. The admission permit, the budget
     * reservation and the provider's concurrency slot are then held until the stream ends, and settled at once
     * however it ends; a client that leaves cancels the provider call.
     *
     * @param command     the validated request, {@link CompletionCommand#stream()} set
     * @param metadata    who asks and how urgently
     * @param bypassCache whether {@code X-Drep-Cache: bypass} was sent
     * @param key         the caller's key, or {@code null}
     * @return the frames for the client with what goes in the response headers; fails with
     *         {@link GatewayException} as {@link #complete} does
     */
    public Uni<StreamReply> stream(CompletionCommand command, DrepMetadata metadata, boolean bypassCache,
            KeyPolicy key) {
        Exchange exchange = exchange(command, metadata, bypassCache, key);
        return detached(streamRun(exchange), exchange);
    }

    /**
     * The request's work as its client sees it: the client's cancellation must not cancel admitted work (its
     * permit, reservation and ledger entry are settled at its end); it only takes a still-queued request out of
     * the queue. The work is subscribed on its own, and its end handed on as it comes: no CompletableFuture between
     * the two (each stage of one captured and restored the request's whole context, about half of the hop's CPU).
     */
    private static <T> Uni<T> detached(Uni<T> work, Exchange exchange) {
        return Uni.createFrom().<T>emitter(emitter -> work.subscribe().with(emitter::complete, emitter::fail))
                .onCancellation().invoke(exchange::abandon);
    }

    private Exchange exchange(CompletionCommand command, DrepMetadata metadata, boolean bypassCache, KeyPolicy key) {
        String alias = catalog.aliasFor(command.alias(), metadata.taskClass());
        List<ModelRoute> chain = catalog.chain(alias);
        if (chain.isEmpty()) {
            throw GatewayException.invalidRequest("model", "model_not_found", "Unknown model alias '"
                    + command.alias() + "'; known aliases: " + String.join(", ", catalog.routes().keySet()) + ".");
        }
        // The alias the request runs as (after task-class routing); fallbacks are the operator's and may follow.
        Keys.requireModel(key, alias);
        if (metadata.job() != null) {
            // the request's own (duplicated) context: every log line of this request names its job
            MDC.put(DrepMetadata.JOB_LOG_KEY, metadata.job());
        }
        return new Exchange(command, metadata, chain, bypassCache, key);
    }

    private Uni<Optional<CachedAnswer>> lookup(Exchange x) {
        String cacheStatus = !cache.enabled() ? "off" : x.bypassCache ? "bypass" : "miss";
        x.cacheStatus = cacheStatus;
        // A streamed and a plain request share answers: 'stream' is not part of the key.
        x.cacheKey = cache.enabled() ? CacheKey.of(x.primary(), x.command.messages(), x.command.parameters()) : null;
        return "miss".equals(cacheStatus)
                ? cache.get(x.cacheKey)
                : Uni.createFrom().item(Optional.empty());
    }

    private Uni<CompletionReply> run(Exchange x) {
        return lookup(x).chain(hit -> hit.isPresent() ? Uni.createFrom().item(fromCache(x, hit.get())) : viaProvider(x))
                .onItemOrFailure().invoke((reply, failure) -> {
                    // may run on a worker or on another request's context: the log line names this request's job
                    try (Scope ignored = x.origin.enter()) {
                        finish(x, reply, failure);
                    }
                });
    }

    private CompletionReply fromCache(Exchange x, CachedAnswer answer) {
        x.cacheStatus = "hit";
        x.servedAlias = answer.alias();
        catalog.resolve(answer.alias()).ifPresent(route -> x.servedRoute = route);
        ChatCompletionResponse.Usage usage = answer.promptTokens() == null ? null
                : new ChatCompletionResponse.Usage(answer.promptTokens(), answer.completionTokens(),
                        answer.totalTokens());
        return reply(x, null, answer.alias(), answer.content(), answer.finishReason(), usage, answer.choices());
    }

    private static int promptEstimate(Exchange x) {
        // Tool definitions and JSON schemas are sent as part of the prompt.
        return TokenEstimator.promptTokens(x.command.messages())
                + TokenEstimator.textTokens(x.command.parameters().passThrough().isEmpty() ? null
                        : x.command.parameters().passThrough().toString());
    }

    /** @return the cost estimate; sets the token estimates of {@code x} */
    private BigDecimal estimate(Exchange x) {
        x.promptEstimate = promptEstimate(x);
        // The most any model of the chain may use: the reservation covers the call whichever model answers.
        BigDecimal estimatedCost = BigDecimal.ZERO;
        int choices = Math.max(1, x.command.parameters().choices());
        for (ModelRoute route : x.chain) {
            int completion = choices * TokenEstimator.completionTokens(x.command.parameters(), route.maxOutputTokens());
            x.completionEstimate = Math.max(x.completionEstimate, completion);
            estimatedCost = estimatedCost.max(prices.cost(route.providerModel(), x.promptEstimate, completion));
        }
        return estimatedCost;
    }

    private Uni<CompletionReply> viaProvider(Exchange x) {
        BigDecimal estimatedCost = estimate(x);
        long estimate = (long) x.promptEstimate + x.completionEstimate;
        return reserve(x, estimate, estimatedCost)
                .chain(reservation -> admit(x, estimate)
                        .onFailure().call(() -> reservation.settle(0, BigDecimal.ZERO))
                        .chain(permit -> callProviders(x, permit)
                                // Settled before answering (one statement, only when a budget applies),
                                // so a client's next request already sees this one's actual usage.
                                .onItemOrFailure().call((reply, failure) ->
                                        reservation.settle(x.chargedTokens(), x.cost))));
    }

    /** Reserves the estimate in the budgets (the key's among them) and charges the key's windows, or refuses. */
    private Uni<BudgetService.Reservation> reserve(Exchange x, long estimate, BigDecimal estimatedCost) {
        return budgets.reserve(x.metadata.repository(), x.key == null ? null : x.key.allowance(), estimate,
                        estimatedCost)
                .onFailure(BudgetExhaustedException.class).transform(e -> budgetExhausted((BudgetExhaustedException) e))
                .onFailure(KeyRateLimitedException.class).transform(e -> keyRateLimited((KeyRateLimitedException) e));
    }

    private Uni<AdmissionScheduler.Permit> admit(Exchange x, long estimate) {
        CompletableFuture<AdmissionScheduler.Permit> admission;
        synchronized (x) {
            if (x.abandoned) {
                return Uni.createFrom().failure(new CancellationException("the client went away"));
            }
            admission = scheduler.acquire(x.metadata.repository(), x.metadata.priority(), estimate);
            x.admission = admission;
        }
        return Uni.createFrom().completionStage(admission)
                .onFailure(AdmissionRejectedException.class)
                .transform(e -> queueRejected((AdmissionRejectedException) e))
                .invoke(permit -> {
                    x.queueWait = permit.waited();
                    metrics.admitted(permit.repository(), permit.waited());
                });
    }

    private Uni<StreamReply> streamRun(Exchange x) {
        return lookup(x).chain(hit -> hit.isPresent()
                        ? Uni.createFrom().item(replay(x, hit.get()))
                        : streamViaProvider(x))
                .onFailure().invoke(failure -> {
                    try (Scope ignored = x.origin.enter()) {
                        finish(x, null, failure);
                    }
                });
    }

    /** A cached answer streamed again: no provider, no slot, no tokens charged (as a non-streaming hit). */
    private StreamReply replay(Exchange x, CachedAnswer answer) {
        x.cacheStatus = "hit";
        x.servedAlias = answer.alias();
        catalog.resolve(answer.alias()).ifPresent(route -> x.servedRoute = route);
        JsonNode choices = answer.choices();
        // a text answer: no choices, or JSON null as the cache reads it back
        if (choices == null || !choices.isArray()) {
            ObjectNode choice = JsonNodeFactory.instance.objectNode();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", answer.content());
            choice.put("finish_reason", answer.finishReason());
            choices = JsonNodeFactory.instance.arrayNode().add(choice);
        }
        TokenCounts usage = answer.promptTokens() == null ? null
                : new TokenCounts(answer.promptTokens(), answer.completionTokens(), answer.totalTokens());
        List<String> frames = StreamRelay.replay("chatcmpl-" + UUID.randomUUID(), Instant.now().getEpochSecond(),
                answer.alias(), choices, usage, x.command.includeUsage());
        Multi<String> replayed = Multi.createFrom().iterable(frames).onTermination().invoke((failure, cancelled) -> {
            try (Scope ignored = x.origin.enter()) {
                finish(x, null, cancelled ? new CancellationException("the client went away") : failure);
            }
        });
        return new StreamReply(x.cacheStatus, x.queueWait, x.providerTime, replayed);
    }

    private Uni<StreamReply> streamViaProvider(Exchange x) {
        BigDecimal estimatedCost = estimate(x);
        long estimate = (long) x.promptEstimate + x.completionEstimate;
        return reserve(x, estimate, estimatedCost)
                .chain(reservation -> admit(x, estimate)
                        .onFailure().call(() -> reservation.settle(0, BigDecimal.ZERO))
                        .chain(permit -> openStream(x, permit, reservation)));
    }

    private Uni<StreamReply> openStream(Exchange x, AdmissionScheduler.Permit permit,
            BudgetService.Reservation reservation) {
        return invoker.invoke(targets(x), route -> new ProviderRequest(route.providerModel(), x.command.messages(),
                        x.command.parameters().cappedAt(route.maxOutputTokens()), true), x.origin)
                .chain(invocation -> {
                    account(x, invocation);
                    ProviderResult.Completed completed = invocation.completed();
                    if (completed == null || completed.stream() == null) {
                        permit.release(x.chargedTokens());
                        return reservation.settle(x.chargedTokens(), x.cost).map(ignored -> {
                            answer(x, invocation);
                            throw new IllegalStateException("the provider answered a streamed request at once");
                        });
                    }
                    ModelRoute served = invocation.servedBy();
                    x.servedRoute = served;
                    x.servedAlias = served.alias();
                    ProviderStream stream = completed.stream();
                    StreamRelay relay = new StreamRelay(served.alias(), x.command.includeUsage());
                    long openedAt = System.nanoTime();
                    stream.onEnd(() -> settleStream(x, permit, reservation, relay, stream, openedAt));
                    synchronized (x) {
                        if (x.abandoned) {
                            // The client left while the provider was accepting the request: nobody will read it.
                            stream.cancel();
                            return Uni.createFrom().failure(new CancellationException("the client went away"));
                        }
                        // A client that leaves from now until its reader subscribes closes it (abandon).
                        x.stream = stream;
                    }
                    Multi<String> frames = stream.events()
                            .map(relay::relay)
                            .filter(frame -> !frame.isEmpty())
                            // Stored before [DONE] goes out, so the client's next request finds it.
                            .call(frame -> relay.state() == StreamRelay.State.DONE ? store(x, relay)
                                    : Uni.createFrom().voidItem())
                            .onCompletion().switchTo(() -> relay.state() == StreamRelay.State.DONE
                                    ? Multi.createFrom().empty()
                                    : Multi.createFrom().item(StreamRelay.errorFrame(streamError(x, relay, null))))
                            .onFailure().recoverWithItem(e -> StreamRelay.errorFrame(streamError(x, relay, e)));
                    return Uni.createFrom().item(new StreamReply(x.cacheStatus, x.queueWait, x.providerTime, frames));
                });
    }

    /**
     * Caches a finished stream's assembled answer (not one with log probabilities, which it leaves out); a failed
     * write is logged by the cache.
     */
    private Uni<Void> store(Exchange x, StreamRelay relay) {
        if (x.cacheKey == null || relay.carriedLogprobs()) {
            return Uni.createFrom().voidItem();
        }
        TokenCounts usage = relay.usage();
        return cache.put(x.cacheKey, new CachedAnswer(x.servedRoute.alias(), relay.content(), relay.finishReason(),
                        usage == null ? null : usage.promptTokens(), usage == null ? null : usage.completionTokens(),
                        usage == null ? null : usage.totalTokens(), relay.choices()))
                .replaceWithVoid();
    }

    /** @return the error event a client gets when the provider's stream breaks off */
    private JsonNode streamError(Exchange x, StreamRelay relay, Throwable failure) {
        GatewayException error = streamFailure(x, relay, failure);
        return JsonNodeFactory.instance.objectNode().set("error", JsonNodeFactory.instance.objectNode()
                .put("message", error.getMessage()).put("type", GatewayException.API_ERROR).putNull("param")
                .put("code", error.code()));
    }

    private static GatewayException streamFailure(Exchange x, StreamRelay relay, Throwable failure) {
        String alias = x.servedAlias == null ? x.command.alias() : x.servedAlias;
        if (relay.state() == StreamRelay.State.MALFORMED) {
            return new GatewayException(502, GatewayException.API_ERROR, null, "provider_bad_response",
                    "The LLM provider of model alias '" + alias + "' sent a stream event that is not an OpenAI "
                            + "chat.completion.chunk; the answer is incomplete. Send the request again.");
        }
        String why = relay.state() == StreamRelay.State.PROVIDER_ERROR ? "reported an error"
                : failure != null && failure.getClass().getSimpleName().contains("Timeout")
                        ? "sent nothing for longer than its timeout"
                        : "closed the connection";
        return new GatewayException(502, GatewayException.API_ERROR, null, "stream_interrupted",
                "The LLM provider of model alias '" + alias + "' " + why + " before the answer was complete; "
                        + "the answer is incomplete. Send the request again.");
    }

    /** Settles a stream however it ended: permit, reservation, ledger, cache. Runs once, on the stream's end. */
    private void settleStream(Exchange x, AdmissionScheduler.Permit permit, BudgetService.Reservation reservation,
            StreamRelay relay, ProviderStream stream, long openedAt) {
        try (Scope ignored = x.origin.enter()) {
            Duration streaming = Duration.ofNanos(System.nanoTime() - openedAt);
            x.providerTime = x.providerTime.plus(streaming);
            ModelRoute route = x.servedRoute;
            TokenCounts usage = relay.usage();
            long prompt;
            long completion;
            if (usage != null) {
                prompt = usage.promptTokens();
                completion = usage.completionTokens();
            } else {
                // No usage chunk (a provider that ignores stream_options, or a stream cut short): what passed.
                prompt = x.promptEstimate;
                completion = TokenEstimator.textTokens(relay.generatedText());
                x.usageEstimated = true;
            }
            x.promptTokens += prompt;
            x.completionTokens += completion;
            x.cost = x.cost.add(prices.cost(route.providerModel(), prompt, completion));
            Throwable failure;
            if (relay.state() == StreamRelay.State.DONE) {
                failure = null;
            } else if (stream.endedBy() == ProviderStream.End.CANCELLED
                    && relay.state() == StreamRelay.State.RUNNING) {
                failure = new CancellationException("the client went away");
            } else {
                failure = streamFailure(x, relay, null);
            }
            // The streamed call's time is from the provider's acceptance to the stream's end.
            metrics.providerCall(route.provider(), failure == null ? "ok"
                    : failure instanceof GatewayException e ? e.code() : "cancelled", streaming);
            permit.release(x.chargedTokens());
            reservation.settle(x.chargedTokens(), x.cost).subscribe().with(done -> {
            }, e -> LOG.errorf(e, "Could not settle the budget reservation of a streamed completion (job=%s)",
                    x.metadata.job()));
            finish(x, null, failure);
        }
    }

    private List<ProviderInvoker.Target> targets(Exchange x) {
        return x.chain.stream()
                .map(route -> new ProviderInvoker.Target(route, providers.provider(route.provider()).orElseThrow(() ->
                        new IllegalStateException("alias '" + route.alias() + "' routes to unknown provider '"
                                + route.provider() + "'"))))
                .toList();
    }

    private Uni<CompletionReply> callProviders(Exchange x, AdmissionScheduler.Permit permit) {
        List<ProviderInvoker.Target> targets = x.chain.stream()
                .map(route -> new ProviderInvoker.Target(route, providers.provider(route.provider()).orElseThrow(() ->
                        new IllegalStateException("alias '" + route.alias() + "' routes to unknown provider '"
                                + route.provider() + "'"))))
                .toList();
        // A request that caps nothing is capped at the model's maximum, so it never spends more than it reserved.
        return invoker.invoke(targets, route -> new ProviderRequest(route.providerModel(), x.command.messages(),
                        x.command.parameters().cappedAt(route.maxOutputTokens())), x.origin)
                .invoke(invocation -> account(x, invocation))
                // The token window is corrected with what was charged; without an invocation the
                // estimate stays.
                .onTermination().invoke((invocation, failure, cancelled) ->
                        permit.release(invocation == null ? -1 : x.chargedTokens()))
                .map(invocation -> answer(x, invocation));
    }

    /** Charges what each call used: reported usage, or the estimate where the provider may have worked unreported. */
    private void account(Exchange x, ProviderInvoker.Invocation invocation) {
        x.attempts = invocation.attempts().size();
        x.providerTime = invocation.providerTime();
        for (ProviderInvoker.Attempt attempt : invocation.attempts()) {
            long prompt = 0;
            long completion = 0;
            String outcome;
            if (attempt.result() instanceof ProviderResult.Completed done && done.stream() != null) {
                // charged when the stream ends (settleStream)
                continue;
            } else if (attempt.result() instanceof ProviderResult.Completed done) {
                outcome = "ok";
                if (done.usage() != null) {
                    prompt = done.usage().promptTokens();
                    completion = done.usage().completionTokens();
                } else {
                    prompt = x.promptEstimate;
                    completion = TokenEstimator.textTokens(done.content());
                    x.usageEstimated = true;
                }
            } else {
                ProviderResult.Failed failed = (ProviderResult.Failed) attempt.result();
                outcome = failed.kind().name().toLowerCase(Locale.ROOT);
                if (failed.kind().mayHaveConsumedTokens()) {
                    prompt = x.promptEstimate;
                    completion = x.completionEstimate;
                    x.usageEstimated = true;
                }
            }
            x.promptTokens += prompt;
            x.completionTokens += completion;
            x.cost = x.cost.add(prices.cost(attempt.route().providerModel(), prompt, completion));
            metrics.providerCall(attempt.route().provider(), outcome, attempt.duration());
        }
    }

    private CompletionReply answer(Exchange x, ProviderInvoker.Invocation invocation) {
        ProviderResult.Completed completed = invocation.completed();
        if (completed != null) {
            ModelRoute served = invocation.servedBy();
            x.servedRoute = served;
            x.servedAlias = served.alias();
            TokenCounts usage = completed.usage();
            if (x.cacheKey != null) {
                cache.put(x.cacheKey, new CachedAnswer(served.alias(), completed.content(), completed.finishReason(),
                        usage == null ? null : usage.promptTokens(), usage == null ? null : usage.completionTokens(),
                        usage == null ? null : usage.totalTokens(), completed.choices())).subscribe().with(ignored -> {
                        });
            }
            return reply(x, completed.id(), served.alias(), completed.content(), completed.finishReason(),
                    usage == null ? null : new ChatCompletionResponse.Usage(usage.promptTokens(),
                            usage.completionTokens(), usage.totalTokens()), completed.choices());
        }
        x.servedRoute = invocation.lastRoute() == null ? x.primary() : invocation.lastRoute();
        x.servedAlias = x.servedRoute.alias();
        ProviderResult.Failed failed = invocation.lastFailure();
        if (failed == null) {
            throw noCallPossible(x, invocation);
        }
        GatewayException answer = ProviderFailures.toException(failed, x.command.alias());
        if (answer.status() == 429 || answer.status() == 503) {
            answer = answer.withRetryAfter(invocation.retryAfter().isZero() ? Duration.ofSeconds(1)
                    : invocation.retryAfter());
        }
        throw answer;
    }

    private static GatewayException noCallPossible(Exchange x, ProviderInvoker.Invocation invocation) {
        long seconds = ErrorAnswer.retryAfterSeconds(invocation.retryAfter());
        if (invocation.skip() == ProviderInvoker.Skip.PAUSED) {
            return new GatewayException(429, GatewayException.RATE_LIMIT, null, "provider_rate_limited",
                    "The LLM provider of model alias '" + x.command.alias() + "' asked the gateway to wait " + seconds
                            + " s before sending more requests.", invocation.retryAfter(), null);
        }
        return new GatewayException(503, GatewayException.API_ERROR, null, "provider_unavailable",
                "The LLM provider of model alias '" + x.command.alias() + "' failed repeatedly; the gateway sends it "
                        + "no requests for " + seconds + " s (circuit breaker open).", invocation.retryAfter(), null);
    }

    private CompletionReply reply(Exchange x, String id, String alias, String content, String finishReason,
            ChatCompletionResponse.Usage usage, JsonNode choices) {
        List<?> answered;
        if (choices != null && choices.isArray()) {
            List<JsonNode> raw = new java.util.ArrayList<>();
            choices.forEach(raw::add);
            answered = raw;
        } else {
            answered = List.of(new ChatCompletionResponse.Choice(0,
                    new ChatCompletionResponse.Message("assistant", content), finishReason));
        }
        ChatCompletionResponse response = new ChatCompletionResponse(
                id == null ? "chatcmpl-" + UUID.randomUUID() : id,
                "chat.completion",
                Instant.now().getEpochSecond(),
                alias,
                answered,
                usage);
        return new CompletionReply(response, x.cacheStatus, x.queueWait, x.providerTime, x.cost);
    }

    private GatewayException queueRejected(AdmissionRejectedException e) {
        var limits = scheduler.limits();
        String code = e.reason() == AdmissionRejectedException.Reason.QUEUE_FULL ? "queue_full" : "queue_wait_exceeded";
        long retry = ErrorAnswer.retryAfterSeconds(e.retryAfter());
        String why = e.reason() == AdmissionRejectedException.Reason.QUEUE_FULL
                ? "already " + limits.maxQueued() + " requests are waiting"
                : "it would wait longer than " + limits.maxWait().toSeconds() + " s";
        return new GatewayException(429, GatewayException.RATE_LIMIT, null, code, "The gateway did not admit the "
                + "request: " + why + " under its limits (" + limits.maxConcurrent() + " at once, "
                + limits.maxConcurrentPerRepository() + " per repository, " + limits.requestsPerWindow()
                + " requests and " + limits.tokensPerWindow() + " tokens per " + limits.window().toSeconds()
                + " s). Retry after " + retry + " s.", e.retryAfter(), null);
    }

    private static GatewayException keyRateLimited(KeyRateLimitedException e) {
        boolean requests = e.kind() == KeyRateLimitedException.Kind.REQUESTS;
        long seconds = ErrorAnswer.retryAfterSeconds(e.retryAfter());
        String per = e.window().equals(Duration.ofMinutes(1)) ? "minute" : e.window().toMillis() + " ms";
        return new GatewayException(429, GatewayException.RATE_LIMIT, null, "key_rate_limited",
                "The key '" + e.key().name() + "' is limited to " + e.limit() + (requests ? " requests" : " tokens")
                        + " per " + per + " and has used " + e.used() + (requests ? "" : " (this request needs about "
                        + e.requested() + ")") + "; retry after " + seconds + " s.",
                e.retryAfter(), null);
    }

    private static GatewayException budgetExhausted(BudgetExhaustedException e) {
        BudgetPlan.Line line = e.line();
        boolean global = line.repository() == null && line.key() == null;
        String kind = e.kind() == BudgetExhaustedException.Kind.TOKENS ? "tokens" : "cost";
        String owner = line.key() != null ? "key '" + line.key().name() + "''s"
                : global ? "the global" : "repository '" + line.repository() + "''s";
        String amount = e.kind() == BudgetExhaustedException.Kind.TOKENS
                ? e.limit().toPlainString() + " tokens, " + e.used().toPlainString() + " used"
                : e.limit().toPlainString() + " USD, " + e.used().stripTrailingZeros().toPlainString() + " USD used";
        Duration untilReset = Duration.between(Instant.now(), e.resetsAt());
        return new GatewayException(402, GatewayException.INSUFFICIENT_QUOTA, null, "budget_exhausted",
                "Budget exhausted: " + owner + " " + (line.period() == BudgetPlan.Period.DAY ? "daily" : "monthly")
                        + " " + (e.kind() == BudgetExhaustedException.Kind.TOKENS ? "token" : "cost") + " budget ("
                        + amount + ") has no room for this request (about " + e.requested().stripTrailingZeros()
                        .toPlainString() + (e.kind() == BudgetExhaustedException.Kind.TOKENS ? " tokens" : " USD")
                        + "); it resets at " + e.resetsAt() + ".",
                untilReset.isNegative() ? Duration.ZERO : untilReset,
                new BudgetDetail(line.key() != null ? "key" : global ? "global" : "repository", line.repository(),
                        line.key() == null ? null : line.key().id(), line.key() == null ? null : line.key().name(),
                        line.period().key(), kind,
                        e.limit(), e.used(), e.requested(), e.resetsAt()));
    }

    /** Writes the ledger, counts the request and logs it: once per request, whatever its end. */
    private void finish(Exchange x, CompletionReply reply, Throwable failure) {
        if (!x.recorded.compareAndSet(false, true)) {
            return;
        }
        String outcome = "ok";
        int status = 200;
        if (failure instanceof GatewayException e) {
            outcome = e.code();
            status = e.status();
        } else if (failure instanceof CancellationException) {
            outcome = "cancelled";
            status = CLIENT_CLOSED_REQUEST;
        } else if (failure != null) {
            outcome = "internal_error";
            status = 500;
        }
        ModelRoute route = x.servedRoute == null ? x.primary() : x.servedRoute;
        String alias = x.servedAlias == null ? route.alias() : x.servedAlias;
        boolean cacheHit = "hit".equals(x.cacheStatus);
        Duration latency = Duration.ofNanos(System.nanoTime() - x.startNanos);
        ledger.record(new UsageEntry(x.arrivedAt, x.metadata.repository(), x.metadata.job(),
                x.metadata.priority().wireValue(), x.metadata.taskClass(), x.command.alias(), alias,
                route.provider(), route.providerModel(), (int) x.promptTokens, (int) x.completionTokens, x.cost,
                x.usageEstimated, cacheHit, x.queueWait, x.providerTime, latency, x.attempts, outcome, status,
                x.key == null ? null : x.key.id()));
        metrics.request(alias, outcome, x.cacheStatus == null ? "off" : x.cacheStatus);
        metrics.usage(alias, x.promptTokens, x.completionTokens, x.cost);
        // One line per request, joined by plain concatenation (a format string cost this path more allocation than
        // answering did), and logged in a burst with the lines of other requests (CompletionLog).
        SpanContext trace = Span.fromContext(x.origin.trace()).getSpanContext();
        if (failure == null) {
            if (log.enabled()) {
                log.info("completion alias=" + alias + " model=" + route.providerModel() + " repository="
                        + x.metadata.repository() + " job=" + x.metadata.job() + " priority="
                        + x.metadata.priority().wireValue() + " taskClass=" + x.metadata.taskClass() + " ms="
                        + latency.toMillis() + " promptTokens=" + x.promptTokens + " completionTokens="
                        + x.completionTokens + " usageEstimated=" + x.usageEstimated + " cache=" + x.cacheStatus
                        + " queueMs=" + x.queueWait.toMillis() + " attempts=" + x.attempts, x.metadata.job(), trace);
            }
        } else {
            log.info("completion failed alias=" + alias + " model=" + route.providerModel() + " repository="
                    + x.metadata.repository() + " job=" + x.metadata.job() + " priority="
                    + x.metadata.priority().wireValue() + " taskClass=" + x.metadata.taskClass() + " ms="
                    + latency.toMillis() + " outcome=" + outcome + " status=" + status + " attempts=" + x.attempts,
                    x.metadata.job(), trace);
            if (status == 500) {
                LOG.error("Unexpected failure while completing a request", failure);
            }
        }
    }

    /** The state of one request as it moves through the policies. */
    private static final class Exchange {
        final CompletionCommand command;
        final DrepMetadata metadata;
        final List<ModelRoute> chain;
        final boolean bypassCache;
        /** The caller's key, or {@code null}. */
        final KeyPolicy key;
        final Instant arrivedAt = Instant.now();
        final long startNanos = System.nanoTime();
        /** Taken where the request arrived, before any wait for admission. */
        final ProviderInvoker.Origin origin;
        String cacheKey;
        String cacheStatus;
        int promptEstimate;
        int completionEstimate;
        long promptTokens;
        long completionTokens;
        BigDecimal cost = BigDecimal.ZERO;
        boolean usageEstimated;
        Duration queueWait = Duration.ZERO;
        Duration providerTime = Duration.ZERO;
        int attempts;
        ModelRoute servedRoute;
        String servedAlias;
        boolean abandoned;
        CompletableFuture<AdmissionScheduler.Permit> admission;
        /** The provider's stream once it accepted a streamed request. */
        ProviderStream stream;
        /** Whether the ledger row is written: once per request, however many ends it reports. */
        final java.util.concurrent.atomic.AtomicBoolean recorded = new java.util.concurrent.atomic.AtomicBoolean();

        Exchange(CompletionCommand command, DrepMetadata metadata, List<ModelRoute> chain, boolean bypassCache,
                KeyPolicy key) {
            this.key = key;
            this.command = command;
            this.metadata = metadata;
            this.chain = chain;
            this.bypassCache = bypassCache;
            this.origin = new ProviderInvoker.Origin(io.opentelemetry.context.Context.current(), metadata.job());
        }

        ModelRoute primary() {
            return chain.get(0);
        }

        long chargedTokens() {
            return promptTokens + completionTokens;
        }

        synchronized void abandon() {
            abandoned = true;
            if (admission != null) {
                admission.cancel(false);
            }
            if (stream != null) {
                // Its reply was on its way to a client that is gone: nobody will subscribe to it.
                stream.closeUnread();
            }
        }
    }
}
