package dev.drep.identity.openapi;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Describes drep's error answers in a service's OpenAPI document, in one place rather than on every endpoint: each
 * operation with a security requirement answers 401 (no token, or an unknown, expired or revoked one) and 403 (a
 * token without the scope, or restricted to another repository); every 4xx and 5xx response an endpoint declares
 * (with {@code @APIResponse(responseCode = "404", description = ...)}) gets the service's error body as its content.
 * Services name it in {@code mp.openapi.filter}; the LLM gateway extends it for OpenAI's error shape.
 */
public class ErrorResponses implements OASFilter {
    static final String JSON = "application/json";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        boolean errors = false;
        boolean secured = false;
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            for (PathItem item : openAPI.getPaths().getPathItems().values()) {
                if (item.getOperations() == null) {
                    continue;
                }
                for (Operation operation : item.getOperations().values()) {
                    errors |= describeErrors(operation);
                    secured |= secured(operation);
                }
            }
        }
        if (errors && (components.getSchemas() == null || !components.getSchemas().containsKey(errorSchemaName()))) {
            components.addSchema(errorSchemaName(), errorSchema());
        }
        if (!secured && components.getSecuritySchemes() != null) {
            // a document without secured operations (the analyzer's) names no scheme nobody uses
            components.setSecuritySchemes(null);
        }
    }

    /** @return whether the operation has an error response that refers to the error schema */
    private boolean describeErrors(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        if (secured(operation)) {
            replace(responses, "401", "No bearer token, or an unknown, expired or revoked one (the answer names which; never "
                    + "the token). The answer carries WWW-Authenticate: Bearer.");
            replace(responses, "403", "The token lacks the scope this operation needs (the answer names it and the caller's "
                    + "scopes), or is restricted to another repository");
        }
        Map<String, APIResponse> declared = responses.getAPIResponses();
        boolean refers = false;
        if (declared == null) {
            return false;
        }
        for (Map.Entry<String, APIResponse> response : declared.entrySet()) {
            if (isError(response.getKey()) && response.getValue().getRef() == null
                    && (response.getValue().getContent() == null || response.getValue().getContent().getMediaTypes().isEmpty())) {
                response.getValue().setContent(OASFactory.createContent().addMediaType(JSON,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(errorSchemaName()))));
            }
            refers |= isError(response.getKey());
        }
        return refers;
    }

    /** Replaces the generic 401/403 that SmallRye adds for {@code @RolesAllowed} ("Not Authorized") with drep's. */
    private static void replace(APIResponses responses, String code, String description) {
        responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description));
    }

    private static boolean secured(Operation operation) {
        return operation.getSecurity() != null && operation.getSecurity().stream()
                .anyMatch(requirement -> requirement.getSchemes() != null && !requirement.getSchemes().isEmpty());
    }

    private static boolean isError(String code) {
        return code.startsWith("4") || code.startsWith("5");
    }

    /** @return the name of the error body's schema under {@code components.schemas} */
    protected String errorSchemaName() {
        return "ErrorBody";
    }

    /** @return the error body's schema: {@code dev.drep.contracts.ErrorBody} */
    protected Schema errorSchema() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("The body of every error answer of drep's REST APIs")
                .required(List.of("error", "message"))
                .addProperty("error", text("A stable machine-readable code, e.g. invalid_request, unauthenticated, forbidden"))
                .addProperty("message", text("For a person: names the input at fault and what to do"));
    }

    /** @return a string property with a description */
    protected static Schema text(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }
}
