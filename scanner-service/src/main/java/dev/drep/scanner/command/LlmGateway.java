package dev.drep.scanner.command;

import dev.drep.core.llm.ChatOutcome;
import dev.drep.core.llm.ChatRequest;
import dev.drep.core.llm.OpenAiWire;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The scanner's way to the LLM gateway, for {@code /drep ask} (the same front door, headers and service token as the
 * analyzer's {@code LlmGateway}). One interactive call per question: a gateway that is unreachable or answers 5xx is
 * tried twice more within seconds (the gateway already retries providers and falls back between them); everything
 * else — an exhausted budget (402), a rate limit the gateway could not wait out (429), a rejected request, a timeout
 * — is final and becomes a {@link ChatOutcome.Refused} whose reason is posted in the thread, so a person asking
 * always gets an answer. No circuit breaker: questions are rare and each is someone waiting for a reply.
 */
@ApplicationScoped
public class LlmGateway {
    private static final Logger LOG = Logger.getLogger(LlmGateway.class);
    private static final String MODEL = "default";

    private final GatewayApi api;

    public LlmGateway(@RestClient GatewayApi api) {
        this.api = api;
    }

    /** @return the answer, or a refusal naming why there is none; never a failure */
    public Uni<ChatOutcome> complete(ChatRequest request, Duration timeout) {
        String body = OpenAiWire.requestBody(request, MODEL, false);
        return Uni.createFrom().deferred(() -> api.complete(body, request.repository(), request.priority(),
                        request.taskClass()))
                .onFailure(LlmGateway::unavailable).retry().withBackOff(Duration.ofMillis(250)).atMost(2)
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException())
                .map(LlmGateway::answer)
                .onFailure().recoverWithItem(error -> {
                    String reason = reason(error, timeout);
                    LOG.infof("a question of %s was not answered: %s", request.repository(), reason);
                    return new ChatOutcome.Refused(reason);
                });
    }

    private static ChatOutcome answer(RestResponse<String> response) {
        return OpenAiWire.readAnswer(response.getEntity() == null ? "" : response.getEntity(), false, 0)
                .<ChatOutcome>map(a -> a)
                .orElseGet(() -> new ChatOutcome.Refused("the LLM gateway answered HTTP " + response.getStatus()
                        + " with something that is not a chat completion"));
    }

    /** Unreachable, or a 5xx: worth another try. */
    private static boolean unavailable(Throwable error) {
        if (error instanceof GatewayApi.GatewayStatus status) {
            return status.status >= 500;
        }
        return !(error instanceof TimeoutException);
    }

    private static String reason(Throwable error, Duration timeout) {
        if (error instanceof TimeoutException) {
            return "the LLM gateway did not answer within " + timeout.toSeconds() + " s";
        }
        if (error instanceof GatewayApi.GatewayStatus status) {
            OpenAiWire.ErrorBody body = OpenAiWire.readError(status.body);
            String detail = body.message() == null ? "HTTP " + status.status : body.message() + " (HTTP " + status.status + ")";
            if (status.status == 402 || "budget_exhausted".equals(body.code())) {
                return "the repository's LLM budget is exhausted: " + detail;
            }
            if (status.status >= 500) {
                return "the LLM gateway is unavailable: " + detail;
            }
            if (status.status == 429) {
                return "the LLM gateway is busy: " + detail;
            }
            return "the LLM gateway refused the question: " + detail;
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "the LLM gateway is unreachable (" + (root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getMessage()) + ")";
    }
}
