package dev.drep.scanner.webhook;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import jakarta.annotation.security.PermitAll;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.JobStatus;
import dev.drep.scanner.api.ApiError;
import dev.drep.scanner.job.Job;
import dev.drep.scanner.metrics.ScannerMetrics;
import dev.drep.scanner.planning.PlanningQueue;
import dev.drep.scanner.repository.Platform;
import dev.drep.scanner.repository.RegisteredRepository;
import dev.drep.scanner.secrets.SecretReferences;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/webhooks/{platform}}: deliveries from Gitea, GitHub and GitLab. The endpoint only
 * verifies, records and queues, so it answers in milliseconds; fetching, diffing and planning happen in
 * the planning consumer on any scanner replica.
 *
 * <p>Order of checks: the platform (404), a readable JSON body (400), the repository the payload names
 * (404 when not registered), the signature or token over the raw body (401), then the event: reviews and
 * scans are queued once per delivery id (202, or 200 for a redelivery), everything else is acknowledged
 * as ignored (200). Nothing is recorded or queued for a delivery that fails a check.
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
    private final SecretReferences secrets;
    private final DeliveryLog deliveries;
    private final PlanningQueue planning;
    private final ScannerMetrics metrics;

    public WebhookResource(ObjectMapper json, SecretReferences secrets, DeliveryLog deliveries, PlanningQueue planning,
            ScannerMetrics metrics) {
        this.json = json;
        this.secrets = secrets;
        this.deliveries = deliveries;
        this.planning = planning;
        this.metrics = metrics;
    }

    @POST
    @Path("/{platform}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirements // none: deliveries prove themselves by their signature
    @Operation(operationId = "receiveWebhook", summary = "Receive a webhook delivery (gitea, github or gitlab)")
    @APIResponse(responseCode = "200", description = "acknowledged: ignored event, or a redelivery of a queued one", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookAnswer.class)))
    @APIResponse(responseCode = "202", description = "a review or scan was queued", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookAnswer.class)))
    @APIResponse(responseCode = "400", description = "the body is not the JSON the platform sends")
    @APIResponse(responseCode = "401", description = "the signature or token does not verify, or drep has no webhook secret for the repository")
    @APIResponse(responseCode = "404", description = "an unknown platform, or a repository that is not registered")
    public Uni<Response> receive(@PathParam("platform") String platformId, @Context HttpHeaders headers, byte[] body) {
        Platform platform = Platform.fromId(platformId)
                .orElseThrow(() -> ApiError.notFound("no webhook endpoint for platform '" + platformId + "': use one of "
                        + Platform.names()));
        JsonNode payload = parse(headers, body);
        String name = WebhookPayloads.repositoryName(platform, payload);
        if (name == null) {
            // organisation or system hooks (e.g. a ping of an organisation webhook) name no repository
            return Uni.createFrom().item(ok(WebhookAnswer.ignored("the payload names no repository: nothing to do")));
        }
        return Panache.withSession(() -> RegisteredRepository.findByName(platform, name)).chain(repository -> {
            if (repository == null) {
                return Uni.createFrom().failure(ApiError.notFound("no " + platform.id() + " repository '" + name
                        + "' is registered with drep: register it with POST /api/repositories"));
            }
            verify(platform, repository, headers, body);
            String event = headers.getHeaderString(WebhookPayloads.eventHeader(platform));
            WebhookEvent intent = WebhookPayloads.classify(platform, event, payload, repository.defaultBranch);
            if (intent instanceof WebhookEvent.Ignored ignored) {
                LOG.debugf("%s delivery for %s ignored: %s", platform.id(), repository.fullName, ignored.reason());
                return Uni.createFrom().item(ok(WebhookAnswer.ignored(ignored.reason())));
            }
            Job job = intent instanceof WebhookEvent.Review review
                    ? Job.pullRequest(repository.id, repository.fullName, review.number(), review.baseRef(), review.baseSha(),
                            review.headSha(), review.author())
                    : Job.scan(repository.id, repository.fullName, ((WebhookEvent.Scan) intent).branch(),
                            ((WebhookEvent.Scan) intent).headSha());
            String deliveryId = deliveryId(platform, headers, body);
            return deliveries.record(platform, deliveryId, event == null ? "" : event, job)
                    .chain(outcome -> outcome.duplicate() ? duplicate(outcome.job(), deliveryId) : queued(outcome.job(), intent));
        });
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

    private Uni<Response> duplicate(Job job, String deliveryId) {
        LOG.infof("delivery %s received again; job %s", deliveryId, job == null ? "gone" : job.id);
        if (job == null) {
            return Uni.createFrom().item(ok(WebhookAnswer.duplicate(null)));
        }
        boolean stuck = job.status == JobStatus.QUEUED && job.createdAt.plus(REQUEUE_AFTER).isBefore(Instant.now());
        Uni<Void> requeue = stuck ? planning.enqueue(job.id) : Uni.createFrom().voidItem();
        return requeue.map(ignored -> ok(WebhookAnswer.duplicate(job.id.toString())));
    }

    private void verify(Platform platform, RegisteredRepository repository, HttpHeaders headers, byte[] body) {
        String secret = repository.webhookSecretRef == null ? null : secrets.resolve(repository.webhookSecretRef).orElse(null);
        if (secret == null) {
            LOG.warnf("%s delivery for %s refused: %s", platform.id(), repository.fullName, repository.webhookSecretRef == null
                    ? "the registration names no webhookSecretRef"
                    : "the webhook secret is not configured (set " + SecretReferences.environmentVariable(repository.webhookSecretRef) + ")");
            throw new ApiError(401, "unauthorized", "drep has no webhook secret for this repository, so it cannot verify deliveries");
        }
        String header = WebhookSignatures.header(platform);
        if (!WebhookSignatures.verify(platform, secret, headers.getHeaderString(header), body)) {
            LOG.warnf("%s delivery for %s refused: %s does not match", platform.id(), repository.fullName, header);
            throw new ApiError(401, "unauthorized", header + (headers.getHeaderString(header) == null ? " is missing"
                    : " does not match the configured webhook secret"));
        }
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
