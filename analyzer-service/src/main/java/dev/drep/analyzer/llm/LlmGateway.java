package dev.drep.analyzer.llm;

import dev.drep.analyzer.metrics.AnalyzerMetrics;
import dev.drep.core.llm.AnswerFields;
import dev.drep.core.llm.ChatOutcome;
import dev.drep.core.llm.ChatPort;
import dev.drep.core.llm.ChatRequest;
import dev.drep.core.llm.OpenAiWire;
import dev.drep.core.time.Durations;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The analyzer's only way to the LLM gateway. It carries the fault tolerance and turns every failure
 * into a {@link ChatOutcome.Refused} with a reason a person understands, so that an LLM problem
 * becomes "not analyzed: reason" in the review and never an exception or a silent pass.
 *
 * <ul>
 *   <li>{@code @Retry}: only 502/503/504, unreachable and timeouts, twice, and only within 5 s of the
 *       first attempt — the gateway already retries providers and falls back between them, so a slow
 *       failure is not repeated here.</li>
 *   <li>{@code @Timeout}: 300 s per attempt, above the gateway's own provider timeout plus its queue.</li>
 *   <li>{@code @CircuitBreaker}: opens when 6 of the last 8 attempts failed and stays open 2 s, so a gateway
 *       that is down is not sent every held call at once; refusals (budget, 429, 4xx) are answers, not failures,
 *       and do not count. Short, because the calls behind it wait ({@link #complete} is patient) rather than fail:
 *       the delay is what a gateway restart costs beyond itself (20 s cost a review 33 s, docs/benchmarks.md).</li>
 * </ul>
 * Limits can be tuned with {@code quarkus.fault-tolerance."dev.drep.analyzer.llm.LlmGateway/send".*}, e.g.
 * {@code ...circuit-breaker.delay=5000} (milliseconds).
 *
 * <p>Around that guarded call, {@link #complete} is patient: a failure that passes by itself (unreachable,
 * 5xx, a timeout, 408/429, or the breaker being open) is tried again after a back-off of 0.5 s doubling to
 * 5 s, until {@code drep.analyzer.llm.patience} (3 min) has passed since the first failed attempt began. So a
 * gateway restart costs a unit some minutes, not its files; an open breaker is waited through to its half-open
 * probe instead of failing every call. Only what waiting cannot heal is final at once: an exhausted budget and a
 * rejected request (4xx other than 408 and 429).
 */
@ApplicationScoped
public class LlmGateway implements ChatPort {
    private static final Logger LOG = Logger.getLogger(LlmGateway.class);

    private final GatewayApi api;
    private final AnalyzerConfig config;
    private final AnalyzerMetrics metrics;
    private static final Duration FIRST_WAIT = Duration.ofMillis(500);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

    private volatile String lastFailure = "none recorded";

    /**
     * @param api    the gateway's REST client
     * @param config model alias and JSON mode
     * @param metrics counts calls by outcome
     */
    public LlmGateway(@RestClient GatewayApi api, AnalyzerConfig config, AnalyzerMetrics metrics) {
        this.api = api;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public CompletionStage<ChatOutcome> complete(ChatRequest request) {
        return patiently(request, null, FIRST_WAIT).<ChatOutcome>map(answer -> answer)
                .invoke(() -> metrics.llmCall("ok"))
                .onFailure().recoverWithItem(this::refusal)
                .subscribeAsCompletionStage();
    }

    /**
     * @param firstFailure when the first failed attempt of this call began; null while none failed
     * @param wait         the back-off before the next attempt
     */
    private Uni<ChatOutcome.Answer> patiently(ChatRequest request, Instant firstFailure, Duration wait) {
        Instant attempt = Instant.now();
        Uni<ChatOutcome.Answer> call = Uni.createFrom().deferred(() -> send(request));
        if (firstFailure != null) {
            call = call.invoke(() -> metrics.llmWait("recovered"));
        }
        return call.onFailure(LlmGateway::passes).recoverWithUni(error -> {
            Instant since = firstFailure == null ? attempt : firstFailure;
            Duration waited = Duration.between(since, Instant.now());
            Duration patience = config.llm().patience();
            if (waited.plus(wait).compareTo(patience) > 0) {
                metrics.llmWait("gave_up");
                // behind an open breaker, what the gateway last did says more than "paused"
                String last = error instanceof CircuitBreakerOpenException ? lastFailure : reason(error);
                return Uni.createFrom().failure(new GatewayUnavailableException("the LLM gateway did not recover within "
                        + Durations.describe(patience) + " (" + last + ")"));
            }
            if (firstFailure == null) {
                LOG.infof("the LLM gateway is not answering (%s); waiting up to %s for it", reason(error),
                        Durations.describe(patience));
            }
            Duration next = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
            return Uni.createFrom().voidItem().onItem().delayIt().by(wait)
                    .chain(() -> patiently(request, since, next));
        });
    }

    /** Whether waiting may heal the failure: everything but a final refusal (budget, rejected request). */
    private static boolean passes(Throwable error) {
        return error instanceof GatewayBusyException || !(error instanceof GatewayRefusedException);
    }

    /** One guarded call; intercepted on self-invocation (ArC intercepts calls from the bean to itself). */
    @Retry(maxRetries = 2, delay = 250, jitter = 100, maxDuration = 5_000,
            retryOn = {GatewayUnavailableException.class, TimeoutException.class},
            abortOn = GatewayRefusedException.class)
    @Timeout(300_000)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 2_000, successThreshold = 1,
            skipOn = GatewayRefusedException.class)
    Uni<ChatOutcome.Answer> send(ChatRequest request) {
        String body = OpenAiWire.requestBody(request, config.llm().model(), config.llm().jsonMode());
        return api.complete(body, request.repository(), request.jobId(), request.priority(), request.taskClass(),
                request.bypassCache() ? "bypass" : null)
                .map(this::answer)
                .onFailure().transform(this::classify);
    }

    private ChatOutcome.Answer answer(RestResponse<String> response) {
        boolean cacheHit = "hit".equalsIgnoreCase(response.getHeaderString(OpenAiWire.CACHE_HEADER));
        long queueWait = (long) number(response.getHeaderString(OpenAiWire.QUEUE_WAIT_HEADER));
        return OpenAiWire.readAnswer(response.getEntity() == null ? "" : response.getEntity(), cacheHit,
                        number(response.getHeaderString(OpenAiWire.COST_HEADER)))
                .map(a -> new ChatOutcome.Answer(a.content(), a.finishReason(), a.promptTokens(), a.completionTokens(),
                        a.cost(), a.cacheHit(), Math.max(0, queueWait), a.model()))
                .orElseThrow(() -> failure("the LLM gateway answered HTTP " + response.getStatus()
                        + " with something that is not a chat completion"));
    }

    /** A numeric {@code X-Drep-*} response header; 0 when absent or not a number. */
    private static double number(String header) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        try {
            return Double.parseDouble(header.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Throwable classify(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof GatewayUnavailableException || e instanceof GatewayRefusedException) {
                return e;
            }
            if (e instanceof GatewayStatusException status) {
                if (status.budgetExhausted()) {
                    return new GatewayRefusedException("LLM budget exhausted (" + status.describe() + ")");
                }
                if (status.status() == 429) {
                    return new GatewayBusyException("the LLM provider is rate limiting (" + status.describe() + ")");
                }
                if (status.status() == 408) {
                    return new GatewayBusyException("the LLM gateway timed out the request (" + status.describe() + ")");
                }
                if (status.retryable() || status.status() >= 500) {
                    return failure("the LLM gateway answered " + status.describe());
                }
                return new GatewayRefusedException("the LLM gateway rejected the request (" + status.describe() + ")");
            }
        }
        return failure("the LLM gateway is unreachable (" + rootMessage(error) + ")");
    }

    private GatewayUnavailableException failure(String message) {
        lastFailure = message;
        return new GatewayUnavailableException(message);
    }

    private ChatOutcome refusal(Throwable error) {
        metrics.llmCall(outcome(error));
        String reason = reason(error);
        LOG.debugf("LLM call refused: %s", reason);
        return new ChatOutcome.Refused(reason);
    }

    private String reason(Throwable error) {
        if (error instanceof GatewayRefusedException || error instanceof GatewayUnavailableException) {
            return error.getMessage();
        }
        if (error instanceof CircuitBreakerOpenException) {
            return "the LLM gateway failed repeatedly and calls are paused (circuit breaker open; last failure: "
                    + lastFailure + ")";
        }
        if (error instanceof TimeoutException) {
            lastFailure = "the LLM gateway did not answer in time";
            return lastFailure;
        }
        return "the LLM call failed (" + rootMessage(error) + ")";
    }

    /** The {@code outcome} label of a failed call. */
    private static String outcome(Throwable error) {
        if (error instanceof GatewayBusyException) {
            return "busy";
        }
        if (error instanceof GatewayRefusedException) {
            return "refused";
        }
        if (error instanceof GatewayUnavailableException) {
            return "unavailable";
        }
        if (error instanceof CircuitBreakerOpenException) {
            return "circuit_open";
        }
        return error instanceof TimeoutException ? "timeout" : "error";
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return AnswerFields.bounded(message, 200);
    }
}
