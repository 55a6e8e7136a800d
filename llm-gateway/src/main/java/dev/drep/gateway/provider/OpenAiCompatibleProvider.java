package dev.drep.gateway.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.quarkiverse.langchain4j.openai.common.OpenAiApiException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One OpenAI-compatible provider (OpenAI, vLLM, LM Studio, llama.cpp, Ollama's {@code /v1}),
 * reached through quarkus-langchain4j's {@link OpenAiChatModel}. It turns every outcome into a
 * {@link ProviderResult}: exceptions never leave it, and nothing it reports or logs contains the
 * API key.
 *
 * <p>It is built programmatically, not injected as quarkus-langchain4j's configured
 * {@code ChatModel} bean, because the gateway decides at run time (from its own configuration)
 * which providers exist and which model each alias means; the configured beans are fixed at build
 * time and carry one model each. {@code OpenAiChatModel.builder()} is still quarkus-langchain4j's
 * (its builder factory is registered as the service implementation), so calls go through the
 * Quarkus REST client. One instance serves every model of its provider: the model name travels
 * with each request.
 */
public final class OpenAiCompatibleProvider implements ChatClient {

    private static final Logger LOG = Logger.getLogger(OpenAiCompatibleProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest piece of a provider's own error text passed on to clients. */
    private static final int MAX_PROVIDER_TEXT = 500;

    private final ProviderEndpoint endpoint;
    private final ChatModel chatModel;
    private final OpenAiWireClient wire;

    /**
     * Builds the client; no connection is made until the first call, so an unreachable provider
     * never prevents the gateway from starting.
     *
     * @param endpoint where the provider is
     * @param vertx    the application's Vert.x, for the requests only OpenAI's wire carries (streams, tools)
     * @param signals  where the wire client's rate-limit headers go
     */
    public OpenAiCompatibleProvider(ProviderEndpoint endpoint, io.vertx.core.Vertx vertx, ProviderSignals signals) {
        this.endpoint = endpoint;
        this.wire = new OpenAiWireClient(endpoint, vertx, signals, this);
        OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder()
                .baseUrl(endpoint.baseUrl())
                .timeout(endpoint.timeout())
                // Retries and fallback are the gateway's policy (with its limits and ledger), not
                // something to hide inside one client call.
                .maxRetries(0)
                // Request/response logging would write the Authorization header and the prompts.
                .logRequests(false)
                .logResponses(false);
        endpoint.apiKey().ifPresent(builder::apiKey);
        this.chatModel = builder.build();
    }

    /** @return where this provider is */
    public ProviderEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Runs one chat completion, blocking until the provider answers, fails or times out.
     *
     * @param request the completion
     * @return the answer, or why there is none
     */
    @Override
    public ProviderResult chat(ProviderRequest request) {
        if (request.needsWire()) {
            ProviderResult result = wire.chat(request);
            if (result instanceof ProviderResult.Failed failed) {
                LOG.warnf("Provider '%s' failed for model '%s': %s: %s", endpoint.name(), request.model(),
                        failed.kind(), failed.message());
            }
            return result;
        }
        ChatResponse response;
        try {
            response = chatModel.chat(toChatRequest(request));
        } catch (RuntimeException e) {
            ProviderResult.Failed failed = classify(e, request.model());
            // The exception itself is not logged: its message may hold the provider's raw error
            // text, which is only safe after redaction.
            LOG.warnf("Provider '%s' failed for model '%s': %s: %s [%s]", endpoint.name(), request.model(),
                    failed.kind(), failed.message(), e.getClass().getName());
            return failed;
        }
        AiMessage message = response.aiMessage();
        return new ProviderResult.Completed(response.id(), message == null ? null : message.text(),
                finishReason(response.finishReason()), usage(response.tokenUsage()));
    }

    private static ChatRequest toChatRequest(ProviderRequest request) {
        List<ChatMessage> messages = new ArrayList<>(request.messages().size());
        for (ProviderMessage message : request.messages()) {
            messages.add(switch (message.role()) {
                case SYSTEM -> SystemMessage.from(message.content());
                case USER -> message.name() == null
                        ? UserMessage.from(message.content())
                        : UserMessage.from(message.name(), message.content());
                case ASSISTANT -> AiMessage.from(message.content());
                // needsWire() sends these over OpenAiWireClient; langchain4j never sees them.
                case TOOL -> throw new IllegalStateException("a tool message must go over the OpenAI wire");
            });
        }
        GenerationParameters p = request.parameters();
        OpenAiChatRequestParameters.Builder parameters = OpenAiChatRequestParameters.builder()
                .modelName(request.model())
                .temperature(p.temperature())
                .topP(p.topP())
                .maxOutputTokens(p.maxTokens())
                .maxCompletionTokens(p.maxCompletionTokens())
                .presencePenalty(p.presencePenalty())
                .frequencyPenalty(p.frequencyPenalty())
                .seed(p.seed())
                .user(p.user());
        if (!p.stop().isEmpty()) {
            parameters.stopSequences(p.stop());
        }
        if (p.jsonObject()) {
            parameters.responseFormat(ResponseFormat.JSON);
        }
        return ChatRequest.builder().messages(messages).parameters(parameters.build()).build();
    }

    ProviderResult.Failed classify(Throwable e, String model) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof HttpException http) {
                return fromStatus(http.statusCode(), http.getMessage(), model);
            }
            if (t instanceof dev.langchain4j.exception.TimeoutException) {
                return timeout();
            }
            // Before the timeout check: a connect timeout (a ConnectException) means unreachable.
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof UnresolvedAddressException
                    || t instanceof UnresolvedModelServerException) {
                return new ProviderResult.Failed(FailureKind.UNREACHABLE, "The LLM provider at "
                        + endpoint.displayUrl() + " cannot be reached (" + t.getClass().getSimpleName() + ").");
            }
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof SocketTimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return timeout();
            }
            if (t instanceof JsonProcessingException || t instanceof OpenAiApiException) {
                return new ProviderResult.Failed(FailureKind.BAD_RESPONSE,
                        "The LLM provider answered with something that is not an OpenAI chat completion.");
            }
        }
        return new ProviderResult.Failed(FailureKind.PROVIDER_ERROR,
                "The LLM provider failed without an answer (" + e.getClass().getSimpleName() + ").");
    }

    private ProviderResult.Failed timeout() {
        return new ProviderResult.Failed(FailureKind.TIMEOUT,
                "The LLM provider did not answer within " + endpoint.timeout().toSeconds() + " s.");
    }

    ProviderResult.Failed fromStatus(int status, String body, String model) {
        String said = providerText(body);
        if (status == 429) {
            return new ProviderResult.Failed(FailureKind.RATE_LIMITED,
                    "The LLM provider is rate limiting the gateway (HTTP 429)" + said);
        }
        if (status == 401 || status == 403) {
            return new ProviderResult.Failed(FailureKind.AUTHENTICATION, "The LLM provider refused the gateway's "
                    + "credentials (HTTP " + status + "); check drep.gateway.provider.api-key" + said);
        }
        if (status == 404) {
            return new ProviderResult.Failed(FailureKind.MODEL_NOT_FOUND, "The LLM provider does not know model '"
                    + model + "' or the base URL is wrong (HTTP 404)" + said);
        }
        if (status >= 400 && status < 500) {
            return new ProviderResult.Failed(FailureKind.REJECTED,
                    "The LLM provider rejected the request (HTTP " + status + ")" + said);
        }
        return new ProviderResult.Failed(FailureKind.PROVIDER_ERROR,
                "The LLM provider failed (HTTP " + status + ")" + said);
    }

    /** @return ": <what the provider said>." with the API key redacted, or "." when it said nothing useful */
    private String providerText(String body) {
        if (body == null || body.isBlank()) {
            return ".";
        }
        String text = body;
        try {
            JsonNode message = JSON.readTree(body).path("error").path("message");
            if (message.isTextual()) {
                text = message.asText();
            }
        } catch (JsonProcessingException notJson) {
            text = body;
        }
        text = endpoint.redact(text.strip());
        if (text.length() > MAX_PROVIDER_TEXT) {
            text = text.substring(0, MAX_PROVIDER_TEXT) + "...";
        }
        return ": " + text;
    }

    private static String finishReason(FinishReason reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_EXECUTION -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            case OTHER -> null;
        };
    }

    private static TokenCounts usage(TokenUsage usage) {
        if (usage == null || usage.inputTokenCount() == null && usage.outputTokenCount() == null) {
            return null;
        }
        int prompt = usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        int completion = usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        int total = usage.totalTokenCount() == null ? prompt + completion : usage.totalTokenCount();
        return new TokenCounts(prompt, completion, total);
    }
}
