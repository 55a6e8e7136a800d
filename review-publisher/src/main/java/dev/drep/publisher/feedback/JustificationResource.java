package dev.drep.publisher.feedback;

import dev.drep.contracts.ErrorBody;
import dev.drep.contracts.JustifiedReply;
import dev.drep.contracts.PullRequestRef;
import dev.drep.identity.Scopes;
import dev.drep.publisher.platform.PlatformException;
import dev.drep.publisher.platform.Platforms;
import dev.drep.publisher.posting.ScopeKeys;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code PUT /internal/justifications/{replyKey}}: the scanner hands over a reply that explains why the code of one of
 * drep's inline findings is right ({@link Justifications}). Idempotent: the first justification of a finding is kept.
 */
@Path("/internal/justifications")
@RolesAllowed(Scopes.PUBLISHER_INTERNAL)
public class JustificationResource {
    private static final int MAX_KEY = 128;

    /** @param fingerprints the findings now justified on the pull request */
    public record Justified(List<String> fingerprints) {
    }

    private final Justifications justifications;
    private final Platforms platforms;

    public JustificationResource(Justifications justifications, Platforms platforms) {
        this.justifications = justifications;
        this.platforms = platforms;
    }

    @PUT
    @Path("/{replyKey}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(operationId = "justifyFinding", summary = "Record a reply that justifies drep's finding in its thread")
    @APIResponse(responseCode = "200", description = "the findings of the thread, now justified on the pull request")
    @APIResponse(responseCode = "400", description = "the reply is invalid (the answer names the field)")
    @APIResponse(responseCode = "404", description = "the thread is not one of drep's findings on this pull request")
    @APIResponse(responseCode = "502", description = "the platform refused (token, permission)")
    @APIResponse(responseCode = "503", description = "the platform could not be reached: try again later")
    public Response justify(@PathParam("replyKey") String replyKey, JustifiedReply reply) {
        String problem = problem(replyKey, reply);
        if (problem != null) {
            return error(400, "invalid_request", problem);
        }
        try {
            List<String> fingerprints = justifications.justify(reply);
            if (fingerprints.isEmpty()) {
                return error(404, "not_drep_thread", "reply " + replyKey + " on " + ScopeKeys.describe(reply.pullRequest())
                        + " is not in the thread of one of drep's inline findings: nothing recorded");
            }
            return Response.ok(new Justified(fingerprints)).type(MediaType.APPLICATION_JSON).build();
        } catch (PlatformException failure) {
            boolean transient_ = failure.kind() == PlatformException.Kind.UNAVAILABLE
                    || failure.kind() == PlatformException.Kind.RATE_LIMITED;
            return error(transient_ ? 503 : 502, transient_ ? "platform_unavailable" : "platform_refused",
                    "could not read the thread of reply " + replyKey + " on " + ScopeKeys.describe(reply.pullRequest())
                            + ": " + failure.getMessage() + (transient_ ? "; try again later" : ""));
        }
    }

    private String problem(String replyKey, JustifiedReply reply) {
        if (reply == null || !replyKey.equals(reply.replyKey()) || replyKey.length() > MAX_KEY) {
            return "the body must be the JustifiedReply with replyKey '" + replyKey + "' (at most " + MAX_KEY
                    + " characters)";
        }
        PullRequestRef ref = reply.pullRequest();
        if (ref == null || !platforms.supports(ref.platform()) || blank(ref.apiUrl()) || blank(ref.tokenRef())
                || ref.number() < 1 || (blank(ref.repository()) && blank(ref.projectId()))) {
            return "field 'pullRequest' needs a platform (gitea, github, gitlab), apiUrl, repository, tokenRef and number";
        }
        if (reply.thread() == null || blank(reply.thread().kind())) {
            return "field 'thread' is required";
        }
        if (blank(reply.author()) || blank(reply.reason())) {
            return "fields 'author' and 'reason' are required";
        }
        return null;
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(code, message)).build();
    }
}
