package dev.drep.publisher.command;

import dev.drep.contracts.CommandReply;
import dev.drep.contracts.ErrorBody;
import dev.drep.contracts.PullRequestRef;
import dev.drep.identity.Scopes;
import dev.drep.publisher.platform.PlatformException;
import dev.drep.publisher.platform.Platforms;
import dev.drep.publisher.posting.ScopeKeys;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code PUT /internal/replies/{replyId}}: the scanner hands over drep's answer to a command given in a pull request
 * comment; the reply is posted exactly once ({@link CommandReplies}), however often it is handed over.
 */
@Path("/internal/replies")
@RolesAllowed(Scopes.PUBLISHER_INTERNAL)
public class CommandReplyResource {
    private static final Set<String> PLACES = Set.of(CommandReply.CommentPlace.CONVERSATION,
            CommandReply.CommentPlace.REVIEW_COMMENT, CommandReply.CommentPlace.DISCUSSION);
    private static final int MAX_ID = 100;

    private final CommandReplies replies;
    private final Platforms platforms;

    public CommandReplyResource(CommandReplies replies, Platforms platforms) {
        this.replies = replies;
        this.platforms = platforms;
    }

    @PUT
    @Path("/{replyId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "postCommandReply", summary = "Post drep's answer to a pull request command, once (idempotent by reply id)")
    @APIResponse(responseCode = "204", description = "posted, now or by an earlier request for the same reply")
    @APIResponse(responseCode = "400", description = "the reply is invalid (the answer names the field)")
    @APIResponse(responseCode = "409", description = "another request is posting this reply right now")
    @APIResponse(responseCode = "502", description = "the platform refused the reply (token, permission)")
    @APIResponse(responseCode = "503", description = "the platform could not be reached: try again later")
    public Uni<Response> post(@PathParam("replyId") String replyId, CommandReply reply) {
        String problem = problem(replyId, reply);
        if (problem != null) {
            return Uni.createFrom().item(error(400, "invalid_request", problem));
        }
        return replies.post(reply)
                .map(outcome -> outcome == CommandReplies.Outcome.POSTED ? Response.noContent().build()
                        : error(409, "busy", "reply " + replyId + " is being posted by another request; ask again later"))
                .onFailure(PlatformException.class).recoverWithItem(e -> {
                    PlatformException failure = (PlatformException) e;
                    boolean transient_ = failure.kind() == PlatformException.Kind.UNAVAILABLE
                            || failure.kind() == PlatformException.Kind.RATE_LIMITED;
                    return error(transient_ ? 503 : 502, transient_ ? "platform_unavailable" : "platform_refused",
                            "could not post reply " + replyId + " on " + ScopeKeys.describe(reply.pullRequest()) + ": "
                                    + failure.getMessage() + (transient_ ? "; try again later" : ""));
                });
    }

    private String problem(String replyId, CommandReply reply) {
        if (reply == null || !replyId.equals(reply.replyId()) || replyId.length() > MAX_ID) {
            return "the body must be the CommandReply with replyId '" + replyId + "' (at most " + MAX_ID + " characters)";
        }
        PullRequestRef ref = reply.pullRequest();
        if (ref == null || !platforms.supports(ref.platform()) || blank(ref.apiUrl()) || blank(ref.tokenRef())
                || ref.number() < 1 || (blank(ref.repository()) && blank(ref.projectId()))) {
            return "field 'pullRequest' needs a platform (gitea, github, gitlab), apiUrl, repository, tokenRef and number";
        }
        if (reply.replyTo() == null || !PLACES.contains(reply.replyTo().kind())) {
            return "field 'replyTo.kind' must be one of " + String.join(", ", PLACES);
        }
        if (blank(reply.body())) {
            return "field 'body' is required";
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
