package dev.drep.gateway.error;

import dev.drep.identity.openapi.ErrorResponses;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * The gateway's OpenAPI document describes its errors in OpenAI's shape ({@link OpenAiError}), which every answer of
 * the gateway uses, refusals of access included ({@link ErrorMappers}).
 */
public class OpenAiErrorResponses extends ErrorResponses {

    @Override
    protected String errorSchemaName() {
        return "OpenAiError";
    }

    @Override
    protected Schema errorSchema() {
        Schema param = OASFactory.createSchema().addType(Schema.SchemaType.STRING).addType(Schema.SchemaType.NULL)
                .description("The request field or header at fault, or null");
        Schema budget = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("Which budget is exhausted (code budget_exhausted only): scope, repository, period, kind, "
                        + "limit, used, requested, resets_at")
                .additionalPropertiesBoolean(true);
        Schema detail = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .required(List.of("message", "type", "code"))
                .addProperty("message", text("For a person: names the input at fault and what to do"))
                .addProperty("type", text("OpenAI's error category, e.g. invalid_request_error, authentication_error, "
                        + "permission_error, rate_limit_error"))
                .addProperty("param", param)
                .addProperty("code", text("A stable machine-readable code, e.g. model_not_found, invalid_api_key, "
                        + "insufficient_scope"))
                .addProperty("budget", budget);
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("An error answer in OpenAI's shape, so OpenAI client libraries show the gateway's message")
                .required(List.of("error"))
                .addProperty("error", detail);
    }
}
