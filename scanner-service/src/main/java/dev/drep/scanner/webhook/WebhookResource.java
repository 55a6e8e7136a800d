package dev.drep.scanner.webhook;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import jakarta.annotation.security.PermitAll;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.JobStatus;
import dev.drep.core.platform.Platform;
import dev.drep.scanner.ScannerConfig;
import dev.drep.scanner.api.ApiError;
import dev.drep.scanner.command.PullRequestCommands;
import dev.drep.scanner.feedback.ThreadReplies;
import dev.drep.scanner.command.ReviewPauses;
import dev.drep.scanner.job.Job;
import dev.drep.scanner.platform.PlatformProblem;
import dev.drep.scanner.metrics.ScannerMetrics;
import dev.drep.scanner.planning.PlanningQueue;
import dev.drep.scanner.repository.RegisteredRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/webhooks/{platform}/{repositoryId}}: deliveries from Gitea, GitHub and GitLab. The URL names
 * the registration, so its secret ({@link WebhookSecrets}) is known before a byte of the body is looked at. The
 * endpoint only verifies, records and queues, so it answers in milliseconds; fetching, diffing and planning happen
 * in the planning consumer on any scanner replica.
 *
 * <p>Order of checks: the platform (404); the body's declared size ({@link WebhookBodyLimit}, 413); the signature
 * or token over the raw body, with the secret derived from the id in the URL (401, one answer for a missing, forged
 * or tampered signature and for an id that is not registered); the JSON (400); the registration (its platform and
 * the repository the payload names must be those of the URL: else 401 for a registration that is gone, 403 for a
 * payload about another repository); then the event: reviews and scans are queued once per delivery id and once
 * per pull request head (202, or 200 for a redelivery or a replay; a pull request whose reviews are paused gets none),
 * a comment with a {@code /drep} command is run and answered once per comment ({@link PullRequestCommands}: 202 with
 * the job of {@code /drep review}, else 200), everything else is acknowledged as ignored (200). Nothing is recorded or queued for a delivery that fails a check, and the database is not read before the
 * signature verified.
 */
@Path("/api/webhooks")
@PermitAll // deliveries prove themselves by their signature (WebhookSignatures), not by a token
@Tag(name = "webhooks", description = "Deliveries from Gitea, GitHub and GitLab")
public class WebhookResource {
    private static final Logger LOG = Logger.getLogger(WebhookResource.class);
    private static final int MAX_DELIVERY_ID_LENGTH = 200;
    /**
     * A redelivered event whose job is still queued after this long is queued again: the first attempt
     * recorded the job but may have died before the broker took the planning request. Planning is
     * idempotent, so queueing twice is harmless; the delay keeps ordinary redeliveries from doing it.
     */
    private static final Duration REQUEUE_AFTER = Duration.ofSeconds(60);

    private final ObjectMapper json;
    private final WebhookSecrets secrets;
    private final DeliveryLog deliveries;
    private final PlanningQueue planning;
    private final ScannerMetrics metrics;
    private final ScannerConfig config;
    private final PullRequestCommands commands;
    private final ReviewPauses pauses;
    /** Replies justifying drep's findings (a field, so the constructor stays as it was for merges). */
    @jakarta.inject.Inject
    ThreadReplies replies;

    public WebhookResource(ObjectMapper json, WebhookSecrets secrets, DeliveryLog deliveries, PlanningQueue planning,
            ScannerMetrics metrics, ScannerConfig config, PullRequestCommands commands, ReviewPauses pauses) {
        this.commands = commands;
        this.pauses = pauses;
        this.json = json;
        this.secrets = secrets;
        this.deliveries = deliveries;
        this.planning = planning;
        this.metrics = metrics;
        this.config = config;
    }

    @POST
    @Path("/{platform}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    // a tombstone for the URL of drep 0.x: not advertised in the API document
    @Operation(hidden = true)
    public Response formerUrl(@PathParam("platform") String platformId) {
        Platform platform = platform(platformId);
        // this URL could find the secret only by parsing the body first; it is not served any more
        throw new ApiError(410, "gone", "deliveries go to /api/webhooks/" + platform.id() + "/<repository id> with the "
                + "repository's own secret: GET /api/repositories/<id>/webhook shows both (README, \"Connecting a platform\")");
    }

    @POST
    @Path("/{platform}/{repositoryId}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirements // none: deliveries prove themselves by their signature
    @Operation(operationId = "receiveWebhook", summary = "Receive a webhook delivery (gitea, github or gitlab) for a registered repository")
    @APIResponse(responseCode = "200", description = "acknowledged: an ignored event, a redelivery, a head already reviewed, or a command in a comment answered", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookAnswer.class)))
    @APIResponse(responseCode = "202", description = "a review or scan was queued (also by /drep review in a comment)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookAnswer.class)))
    @APIResponse(responseCode = "400", description = "the signed body is not the JSON the platform sends")
    @APIResponse(responseCode = "401", description = "the signature or token does not verify for this URL, or the repository is not registered (one answer for both)")
    @APIResponse(responseCode = "403", description = "the signed payload is about another repository than the URL's")
    @APIResponse(responseCode = "404", description = "an unknown platform")
    @APIResponse(responseCode = "413", description = "the body is over drep.scanner.webhook.max-body-size")
    @APIResponse(responseCode = "502", description = "a command in a comment could not be run: the platform could not be asked (redeliver to try again)")
    @APIResponse(responseCode = "503", description = "drep.scanner.webhook.secret-key is not set: deliveries cannot be verified; or a command's answer could not be handed to the review-publisher (redeliver to try again)")
    public Uni<Response> receive(@PathParam("platform") String platformId, @PathParam("repositoryId") String repositoryId,
            @Context HttpHeaders headers, byte[] body) {
        Platform platform = platform(platformId);
        long limit = config.webhook().maxBodySize().asLongValue();
        if (body != null && body.length > limit) {
            // a chunked body declares no length: it is stopped here, the filter stops a declared one before reading
            throw WebhookBodyLimit.tooLarge(body.length, limit);
        }
        if (!secrets.configured()) {
            LOG.warnf("%s delivery refused: drep.scanner.webhook.secret-key (DREP_SCANNER_WEBHOOK_SECRET_KEY) is not set "
                    + "or shorter than %d characters", platform.id(), WebhookSecrets.MIN_KEY_LENGTH);
            throw new ApiError(503, "webhooks_not_configured", "this drep cannot verify webhook deliveries yet: its operator "
                    + "has to set drep.scanner.webhook.secret-key");
        }
        UUID id = uuid(repositoryId);
        String header = WebhookSignatures.header(platform);
        String secret = id == null ? null : secrets.secretFor(id).orElse(null);
        if (!WebhookSignatures.verify(platform, secret, headers.getHeaderString(header), body == null ? new byte[0] : body)) {
            LOG.debugf("%s delivery to %s refused: %s is missing or does not verify", platform.id(), repositoryId, header);
            throw refused(platform);
        }
        JsonNode payload = parse(headers, body);
        return Panache.withSession(() -> RegisteredRepository.<RegisteredRepository>findById(id)).chain(repository -> {
            if (repository == null || repository.platform() != platform) {
                // signed with the secret of an id that is not registered (any more): the same answer as a forgery
                LOG.warnf("%s delivery verified for %s, which is not a registered %s repository: remove the webhook",
                        platform.id(), id, platform.id());
                return Uni.createFrom().failure(refused(platform));
            }
            String name = WebhookPayloads.repositoryName(platform, payload);
            if (name == null) {
                // e.g. a system hook's test delivery
                return Uni.createFrom().item(ok(WebhookAnswer.ignored("the payload names no repository: nothing to do")));
            }
            if (!name.equalsIgnoreCase(repository.fullName)) {
                LOG.warnf("%s delivery for %s refused: signed with the secret of %s", platform.id(), name, repository.fullName);
                return Uni.createFrom().failure(new ApiError(403, "wrong_repository", "the payload is about '" + name
                        + "', but this webhook URL and secret belong to '" + repository.fullName + "'; if the repository was "
                        + "renamed, register it under its new name"));
            }
            String event = headers.getHeaderString(WebhookPayloads.eventHeader(platform));
            WebhookEvent intent = WebhookPayloads.classify(platform, event, payload, repository.defaultBranch);
            if (intent instanceof WebhookEvent.Ignored ignored) {
                LOG.debugf("%s delivery for %s ignored: %s", platform.id(), repository.fullName, ignored.reason());
                return Uni.createFrom().item(ok(WebhookAnswer.ignored(ignored.reason())));
            }
            if (intent instanceof WebhookEvent.Comment comment) {
                return command(repository, comment);
            }
            if (intent instanceof WebhookEvent.Review review) {
                return Panache.withSession(() -> pauses.pausedBy(repository.id, review.number())).chain(pausedBy -> pausedBy != null
                        ? Uni.createFrom().item(ok(WebhookAnswer.ignored("automatic reviews of pull request #" + review.number()
                                + " are paused (/drep pause by " + pausedBy + "): /drep resume, or /drep review for one review")))
                        : record(platform, headers, body, event, repository, intent));
            }
            return record(platform, headers, body, event, repository, intent);
        });
    }

    private Uni<Response> command(RegisteredRepository repository, WebhookEvent.Comment comment) {
        // a reply justifying one of drep's findings first; anything else may be a command
        return replies.handle(new ThreadReplies.Reply(repository.snapshot(), comment.number(), comment.commentKey(),
                        comment.place(), comment.author(), comment.authorId(), comment.body()))
                .chain(justified -> justified != null ? Uni.createFrom().item(justified)
                        : commands.handle(new PullRequestCommands.Comment(repository.snapshot(), comment.number(),
                                comment.commentKey(), comment.place(), comment.author(), comment.authorId(),
                                comment.body(), comment.open())))
                .map(handled -> {
                    WebhookAnswer answer = new WebhookAnswer(handled.status(), handled.jobId() == null ? null
                            : handled.jobId().toString(), handled.message());
                    return "queued".equals(handled.status())
                            ? Response.accepted(answer).type(MediaType.APPLICATION_JSON).build() : ok(answer);
                })
                .onFailure(PlatformProblem.class).transform(e -> new ApiError(502, "platform_unavailable", "could not run "
                        + "the command: " + e.getMessage() + "; redeliver the webhook to try again"))
                .onFailure(e -> !(e instanceof ApiError)).transform(e -> new ApiError(503, "command_not_answered",
                        "the command was not answered: " + e.getMessage() + "; redeliver the webhook to try again"));
    }

    private Uni<Response> record(Platform platform, HttpHeaders headers, byte[] body, String event,
            RegisteredRepository repository, WebhookEvent intent) {
        Job job = intent instanceof WebhookEvent.Review review
                ? Job.pullRequest(repository.id, repository.fullName, review.number(), review.baseRef(), review.baseSha(),
                        review.headSha(), review.author())
                : Job.scan(repository.id, repository.fullName, ((WebhookEvent.Scan) intent).branch(),
                        ((WebhookEvent.Scan) intent).headSha());
        String deliveryId = deliveryId(platform, headers, body);
        return deliveries.record(platform, deliveryId, event == null ? "" : event, job)
                .chain(outcome -> switch (outcome.kind()) {
                    case NEW -> queued(outcome.job(), intent);
                    case REDELIVERY -> duplicate(outcome.job(), WebhookAnswer.duplicate(idOf(outcome.job())), deliveryId);
                    case SAME_HEAD -> duplicate(outcome.job(), WebhookAnswer.sameHead(idOf(outcome.job()),
                            (WebhookEvent.Review) intent), deliveryId);
                });
    }

    private static Platform platform(String platformId) {
        return Platform.fromId(platformId)
                .orElseThrow(() -> ApiError.notFound("no webhook endpoint for platform '" + platformId + "': use one of "
                        + Platform.names()));
    }

    /** One answer for every delivery that does not prove its origin, so that it tells nothing about registrations. */
    private static ApiError refused(Platform platform) {
        return new ApiError(401, "unauthorized", WebhookSignatures.header(platform) + " is missing or does not verify "
                + "for this webhook URL: use the URL and secret shown when the repository was registered "
                + "(GET /api/repositories/<id>/webhook shows them again)");
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String idOf(Job job) {
        return job == null ? null : job.id.toString();
    }

    private Uni<Response> queued(Job job, WebhookEvent intent) {
        String what = intent instanceof WebhookEvent.Review review
                ? "review of pull request #" + review.number() + " at " + review.headSha()
                : "scan of " + job.baseRef + " up to " + job.headCommit;
        return planning.enqueue(job.id).map(ignored -> {
            metrics.jobAccepted(job.kind);
            LOG.infof("job %s queued from a webhook: %s of %s", job.id, what, job.repository);
            return Response.accepted(WebhookAnswer.queued(job.id.toString(), what + " queued")).type(MediaType.APPLICATION_JSON)
                    .build();
        });
    }

    private Uni<Response> duplicate(Job job, WebhookAnswer answer, String deliveryId) {
        LOG.infof("delivery %s: %s (job %s)", deliveryId, answer.message(), job == null ? "gone" : job.id);
        if (job == null) {
            return Uni.createFrom().item(ok(answer));
        }
        boolean stuck = job.status == JobStatus.QUEUED && job.createdAt.plus(REQUEUE_AFTER).isBefore(Instant.now());
        Uni<Void> requeue = stuck ? planning.enqueue(job.id) : Uni.createFrom().voidItem();
        return requeue.map(ignored -> ok(answer));
    }

    private JsonNode parse(HttpHeaders headers, byte[] body) {
        if (body == null || body.length == 0) {
            throw new ApiError(400, "invalid_json", "the delivery has no body");
        }
        byte[] document = body;
        MediaType type = headers.getMediaType();
        if (type != null && type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            document = formPayload(body);
        }
        try {
            JsonNode payload = json.readTree(document);
            if (payload == null || !payload.isObject()) {
                throw new ApiError(400, "invalid_json", "the delivery body must be a JSON object");
            }
            return payload;
        } catch (IOException e) {
            throw new ApiError(400, "invalid_json", "the delivery body is not valid JSON");
        }
    }

    /** GitHub and Gitea can send {@code payload=<json>} form-encoded; the signature still covers the raw body. */
    private static byte[] formPayload(byte[] body) {
        for (String field : new String(body, StandardCharsets.US_ASCII).split("&")) {
            if (field.startsWith("payload=")) {
                return URLDecoder.decode(field.substring("payload=".length()), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            }
        }
        throw new ApiError(400, "invalid_json", "a form-encoded delivery needs a 'payload' field; better, set the webhook's "
                + "content type to application/json");
    }

    /**
     * The platform's delivery id (stable across redeliveries): {@code X-Gitea-Delivery}, {@code X-GitHub-Delivery},
     * GitLab's {@code Idempotency-Key} (kept across retries) or else {@code X-Gitlab-Event-UUID}. Without one, the
     * body's hash stands in: a retry sends the same bytes.
     */
    private static String deliveryId(Platform platform, HttpHeaders headers, byte[] body) {
        String id = switch (platform) {
            case GITEA -> headers.getHeaderString("X-Gitea-Delivery");
            case GITHUB -> headers.getHeaderString("X-GitHub-Delivery");
            case GITLAB -> {
                String key = headers.getHeaderString("Idempotency-Key");
                yield key != null && !key.isBlank() ? key : headers.getHeaderString("X-Gitlab-Event-UUID");
            }
        };
        if (id == null || id.isBlank() || id.length() > MAX_DELIVERY_ID_LENGTH) {
            return "sha256:" + HexFormat.of().formatHex(WebhookSignatures.sha256(id == null || id.isBlank() ? body
                    : id.getBytes(StandardCharsets.UTF_8)));
        }
        return id.trim();
    }

    private static Response ok(WebhookAnswer answer) {
        return Response.ok(answer).type(MediaType.APPLICATION_JSON).build();
    }
}
