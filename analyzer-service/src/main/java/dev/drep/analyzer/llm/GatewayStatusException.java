package dev.drep.analyzer.llm;

import dev.drep.core.llm.AnswerFields;
import dev.drep.core.llm.OpenAiWire;

/**
 * The gateway answered with an error status. {@link #retryable()} for 502/503/504 (the provider or
 * the gateway is in trouble and a quick second try may pass); everything else (429 after the
 * gateway's own retries, a budget refusal, a rejected request) is final for this call.
 */
class GatewayStatusException extends RuntimeException {
    private final int status;
    private final String code;

    GatewayStatusException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static GatewayStatusException of(int status, String body) {
        OpenAiWire.ErrorBody error = OpenAiWire.readError(body);
        String message = error.message() == null ? "" : AnswerFields.bounded(error.message().strip(), 300);
        return new GatewayStatusException(status, error.code(), message);
    }

    int status() {
        return status;
    }

    boolean retryable() {
        return status == 502 || status == 503 || status == 504;
    }

    boolean budgetExhausted() {
        return "budget_exhausted".equals(code) || "insufficient_quota".equals(code);
    }

    /** @return e.g. {@code 503 provider_unavailable: the provider cannot be reached} */
    String describe() {
        return status + (code == null ? "" : " " + code) + (getMessage().isEmpty() ? "" : ": " + getMessage());
    }
}
