package dev.drep.scanner.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.drep.contracts.ErrorBody;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns errors into {@link ErrorBody} answers; never a stack trace. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response apiError(ApiError error) {
        return error.toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException error) {
        if (error.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json);
        }
        int status = error.getResponse().getStatus();
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(status == 404 ? "not_found" : "http_" + status, error.getMessage()))
                .build();
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException error) {
        String where = error instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
                ? " at field '" + mismatch.getPath().get(mismatch.getPath().size() - 1).getFieldName() + "'"
                : "";
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody("invalid_json", "the request body is not valid JSON" + where + ": "
                        + error.getOriginalMessage()))
                .build();
    }
}
