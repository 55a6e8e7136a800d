package dev.drep.gateway.provider;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Gives every provider call a client span, named and described after OpenTelemetry's generative-AI
 * conventions ({@code chat <model>}, {@code gen_ai.*} attributes with the token usage), as a child of
 * the context current on the calling thread (the completion request's trace, see
 * {@code ProviderInvoker.Origin}). The HTTP call under it propagates the trace to the provider. The
 * span holds the provider's name, host and port, the model and the outcome; never the API key, the
 * prompts or the answer.
 */
public final class TracedChatClient implements ChatClient {

    private final ChatClient delegate;
    private final Tracer tracer;
    private final String providerName;
    private final String host;
    private final int port;

    /**
     * @param delegate what runs the call
     * @param endpoint the provider it calls
     * @param tracer   where spans come from
     */
    public TracedChatClient(ChatClient delegate, ProviderEndpoint endpoint, Tracer tracer) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.providerName = endpoint.name();
        URI uri = URI.create(endpoint.baseUrl());
        this.host = uri.getHost();
        this.port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public Uni<ProviderResult> chat(ProviderRequest request) {
        return Uni.createFrom().<ProviderResult>emitter(emitter -> {
            Span span = tracer.spanBuilder("chat " + request.model())
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute("gen_ai.operation.name", "chat")
                    .setAttribute("gen_ai.system", "openai")
                    .setAttribute("gen_ai.request.model", request.model())
                    .setAttribute("server.address", host)
                    .setAttribute("server.port", port)
                    .setAttribute("drep.provider", providerName)
                    .startSpan();
            // Started under the span, so the request to the provider carries the span as its parent.
            try (Scope ignored = span.makeCurrent()) {
                delegate.chat(request).subscribe().with(result -> {
                    end(span, result, null);
                    emitter.complete(result);
                }, failure -> {
                    end(span, null, failure);
                    emitter.fail(failure);
                });
            } catch (RuntimeException e) {
                end(span, null, e);
                emitter.fail(e);
            }
        });
    }

    /** Notes the outcome on the span and ends it. */
    private static void end(Span span, ProviderResult result, Throwable failure) {
        if (failure != null) {
            span.setAttribute("error.type", failure.getClass().getName());
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        } else if (result instanceof ProviderResult.Completed completed) {
            if (completed.finishReason() != null) {
                span.setAttribute("gen_ai.response.finish_reasons", completed.finishReason());
            }
            if (completed.usage() != null) {
                span.setAttribute("gen_ai.usage.input_tokens", completed.usage().promptTokens());
                span.setAttribute("gen_ai.usage.output_tokens", completed.usage().completionTokens());
            }
        } else if (result instanceof ProviderResult.Failed failed) {
            span.setAttribute("error.type", failed.kind().name().toLowerCase(Locale.ROOT));
            // the message is free of secrets (ProviderResult.Failed), so it may describe the error
            span.setStatus(StatusCode.ERROR, failed.message());
        }
        span.end();
    }
}
