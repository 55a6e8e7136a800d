package dev.drep.gateway.provider;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
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

    private final ProviderEndpoint endpoint;
    private final ChatModel chatModel;
    private final OpenAiWireClient wire;
    private final ProviderFailureClassifier failures;

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
        this.failures = new ProviderFailureClassifier(endpoint);
        this.wire = new OpenAiWireClient(endpoint, vertx, signals, failures);
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
        return failures.classify(e, model);
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
