package dev.drep.scanner.api;

import dev.drep.contracts.ErrorBody;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A client error with the status and the message the client is shown. */
public class ApiError extends RuntimeException {
    private final int status;
    private final String code;

    public ApiError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** @return a 400 naming the field at fault */
    public static ApiError badRequest(String message) {
        return new ApiError(400, "invalid_request", message);
    }

    /** @return a 404 naming what was not found */
    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    /** @return the HTTP answer with an {@link ErrorBody} */
    public Response toResponse() {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(code, getMessage())).build();
    }
}
