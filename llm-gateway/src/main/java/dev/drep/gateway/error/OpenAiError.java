package dev.drep.gateway.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error answer in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}, so
 * that OpenAI client libraries surface the gateway's message as they would OpenAI's. A refused
 * request because of a budget adds {@code error.budget}.
 *
 * @param error the error details
 */
public record OpenAiError(Detail error) {

    /**
     * @param message for a person: names the input at fault and what to do; never a secret
     * @param type    OpenAI's error category, e.g. {@code invalid_request_error}
     * @param param   the request field (or header) at fault, or {@code null}
     * @param code    a stable machine-readable code, e.g. {@code model_not_found}
     * @param budget  which budget is exhausted, for {@code budget_exhausted} only
     */
    public record Detail(String message, String type, String param, String code,
            @JsonInclude(JsonInclude.Include.NON_NULL) BudgetDetail budget) {
    }

    /**
     * @param message the message
     * @param type    the type
     * @param param   the field at fault, or {@code null}
     * @param code    the code
     * @return the error
     */
    public static OpenAiError of(String message, String type, String param, String code) {
        return new OpenAiError(new Detail(message, type, param, code, null));
    }
}
