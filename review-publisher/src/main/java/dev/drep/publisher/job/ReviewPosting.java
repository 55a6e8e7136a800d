package dev.drep.publisher.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.JobEvent;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.Review;
import dev.drep.contracts.Stage;
import dev.drep.contracts.StageSpan;
import dev.drep.contracts.UnitResult;
import dev.drep.publisher.platform.PostingLease;
import dev.drep.publisher.platform.PublisherConfig;
import dev.drep.publisher.posting.Publication;
import dev.drep.publisher.posting.PublishOutcome;
import dev.drep.publisher.pullrequest.ReviewVerdict;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Posts a stored review in three steps, none of which holds a database connection while the platform is
 * called: <b>claim</b> the job (a short transaction, {@link PublicationClaims}), <b>post</b> with no transaction
 * (rate-limit waits included; the claim's lease is renewed meanwhile), <b>settle</b> the outcome in another short
 * transaction, then send the final event. A platform that is down or rate limited beyond what is waited out in
 * place defers the job: it stays PUBLISHING with a due time, and {@link PublicationRetry} posts it again then.
 */
@ApplicationScoped
public class ReviewPosting {
    private static final Logger LOG = Logger.getLogger(ReviewPosting.class);
    /** A request is not started unless the lease is known to hold this much longer than the request may take. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);
    private static final Function<String, Uni<Void>> NOTHING = jobId -> Uni.createFrom().voidItem();
    private static final String POST_SPAN = "publish review";
    private static final AttributeKey<String> JOB_ATTRIBUTE = AttributeKey.stringKey("drep.job.id");

    private final ObjectMapper json;
    private final MutinyEmitter<String> events;
    private final ReviewTargets targets;
    private final PublicationClaims claims;
    private final Vertx vertx;
    private final PublisherConfig config;
    private final Tracer tracer;
    /** see {@link #afterFinalEventSent(Function)} */
    private volatile Function<String, Uni<Void>> afterFinalEventSent = NOTHING;

    public ReviewPosting(ObjectMapper json, @Channel("job-events") MutinyEmitter<String> events, ReviewTargets targets,
            PublicationClaims claims, Vertx vertx, PublisherConfig config, OpenTelemetry telemetry) {
        this.json = json;
        this.events = events;
        this.targets = targets;
        this.claims = claims;
        this.vertx = vertx;
        this.config = config;
        this.tracer = telemetry.getTracer("dev.drep.publisher");
    }

    /** What a claimed job's post needs, read after the claim. */
    private record Claimed(Publication publication, String scopeKey) {
    }

    /**
     * Posting can take minutes (rate limits, an unavailable platform), and neither the analyzer's result
     * message nor the scanner's registration request should wait for it: the review is stored, so it is
     * posted on its own. Should that fail unexpectedly, the job is still PUBLISHING and the scheduled
     * retry takes it up.
     * <p>
     * Each post gets a new duplicated Vert.x context: Hibernate Reactive keeps its session there, and two posts must
     * never share one. VertxContextSupport creates it, but refuses to be called from an event loop, so it is called
     * from a worker. The post is a span of its own ({@value #POST_SPAN}), child of what started it, current on that
     * context until the post ends, and its log lines name the job. The span matters for the log lines too: the
     * message that started a post is settled, and its span ended, while the post goes on, and a scope closed on a
     * context whose span had ended takes the trace off it (Quarkus' context storage), so the post's later lines lost
     * their trace id.
     */
    void publishInBackground(String jobId) {
        Context parent = Context.current();
        Infrastructure.getDefaultWorkerPool().execute(() -> VertxContextSupport.subscribe(() -> {
            Span span = tracer.spanBuilder(POST_SPAN).setParent(parent).setAttribute(JOB_ATTRIBUTE, jobId).startSpan();
            parent.with(span).makeCurrent(); // not closed: the context ends with the post
            MDC.put(ReviewCompletion.JOB_LOG_KEY, jobId);
            return publish(jobId).onTermination().invoke((ignored, failure, cancelled) -> {
                if (failure != null) {
                    span.recordException(failure);
                    span.setStatus(StatusCode.ERROR);
                }
                span.end();
            }).toMulti();
        }, subscribe -> subscribe.with(ignored -> { }, failure -> LOG.errorf(
                failure, "job %s: posting the review failed; the scheduled retry tries again", jobId))));
    }

    /**
     * Claims, posts and settles a stored review; does nothing when the job is not PUBLISHING, another replica
     * holds its claim, or another job of the same pull request is being posted (that one hands over to this one
     * when it is done, see {@link #settleAndHandOver}).
     */
    Uni<Void> publish(String jobId) {
        // the lease runs from the database's now() during the claim: counted from before the claim was sent
        long claimSentAt = System.nanoTime();
        return claims.claim(jobId).chain(claimed -> {
            if (!claimed) {
                LOG.debugf("job %s: not claimed (posted elsewhere, or its pull request is busy)", jobId);
                return Uni.createFrom().voidItem();
            }
            PostingLease lease = new PostingLease(jobId, Duration.ZERO);
            lease.renewed(claimSentAt, claims.lease().minus(LEASE_MARGIN));
            long heartbeat = startHeartbeat(jobId, lease);
            return read(jobId)
                    // unordered: an ordered blocking task can queue behind the other posts of its event loop
                    .chain(job -> vertx.executeBlocking(Uni.createFrom().item(
                                    () -> lease.during(() -> targets.publish(job.publication()))), false)
                            .onFailure().recoverWithItem(failure -> new PublishOutcome.Failed(
                                    "could not publish the review: " + failure.getMessage()))
                            .invoke(() -> vertx.cancelTimer(heartbeat))
                            .chain(outcome -> settleAndHandOver(job, outcome)))
                    .onTermination().invoke(() -> vertx.cancelTimer(heartbeat))
                    // a failure before the outcome was recorded (database gone): free the claim for the retry
                    .onFailure().call(failure -> claims.release(jobId).onFailure().recoverWithNull());
        });
    }

    /** Renews the claim every third of its lease while the post runs; a lost claim stops the post's requests. */
    private long startHeartbeat(String jobId, PostingLease lease) {
        long every = Math.max(1000, claims.lease().toMillis() / 3);
        return vertx.setPeriodic(every, timer -> {
            long sentAt = System.nanoTime();
            claims.renew(jobId).subscribe().with(held -> {
                if (held) {
                    lease.renewed(sentAt, claims.lease().minus(LEASE_MARGIN));
                } else {
                    LOG.warnf("job %s: this replica's claim was taken over; its post stops", jobId);
                    lease.lost();
                }
            }, failure -> LOG.warnf("job %s: the claim could not be renewed (%s); the post stops when it runs out",
                    jobId, failure.getMessage()));
        });
    }

    /** Reads what the post needs, in a short session (the claim makes this replica the only poster). */
    private Uni<Claimed> read(String jobId) {
        return Panache.withSession(() -> TrackedJob.<TrackedJob>findById(jobId).chain(job ->
                ReceivedResult.<ReceivedResult>list("jobId", jobId).map(received -> new Claimed(new Publication(jobId,
                        job.createdAt, job.attempts, read(job.plan, JobPlan.class), read(job.review, Review.class),
                        received.stream().map(r -> r.unitId).collect(Collectors.toSet())), job.scopeKey))));
    }

    private Uni<Void> settleAndHandOver(Claimed claimed, PublishOutcome outcome) {
        String jobId = claimed.publication().jobId();
        return Panache.withTransaction(() -> TrackedJob.<TrackedJob>findById(jobId, LockModeType.PESSIMISTIC_WRITE)
                .chain(job -> {
                    if (job == null || job.stage != TrackedJob.Stage.PUBLISHING || !claims.owner().equals(job.claimedBy)) {
                        // another replica took the review over after this one's lease ran out: its post settles it
                        LOG.warnf("job %s: the claim was lost while posting; the outcome is left to the replica that"
                                + " holds it now", jobId);
                        return Uni.createFrom().<JobEvent>nullItem();
                    }
                    return ReceivedResult.<ReceivedResult>list("jobId", jobId)
                            .map(received -> settle(job, claimed.publication(), outcome, received));
                }))
                .chain(event -> event == null ? Uni.createFrom().voidItem() : sendFinalEvent(event))
                .chain(() -> handOver(claimed.scopeKey(), jobId));
    }

    /**
     * Applies a posting outcome to the (locked, claimed) job; returns the final event to send, or null when deferred.
     * A deferral gives the claim up; a final outcome keeps it for another lease, as the claim on the final event
     * ({@link PublicationClaims}), so no resume pass sends that event while this replica does.
     */
    private JobEvent settle(TrackedJob job, Publication publication, PublishOutcome outcome,
            List<ReceivedResult> received) {
        Review review = publication.review();
        job.claimExpiresAt = Instant.now().plus(claims.lease());
        if (outcome instanceof PublishOutcome.Deferred deferred) {
            job.attempts++;
            if (job.attempts <= config.retry().maxDeferrals()) {
                job.claimedBy = null;
                job.claimExpiresAt = null;
                job.nextAttemptAt = deferred.notBefore();
                job.message = "posting deferred: " + deferred.reason();
                return null;
            }
            outcome = new PublishOutcome.Failed("could not publish the review: the platform was unavailable for "
                    + (job.attempts - 1) + " deferred attempts; last: " + deferred.reason());
        }
        job.nextAttemptAt = null;
        job.publishedAt = Instant.now();
        if (outcome instanceof PublishOutcome.Published published) {
            job.stage = TrackedJob.Stage.PUBLISHED;
            job.outputs = String.join("\n", published.outputs());
            job.message = null;
            LOG.infof("job %s: review published (%s)", job.jobId, String.join(", ", published.outputs()));
            return new JobEvent(job.jobId, JobStatus.DONE, job.unitsTotal, job.unitsTotal, review.counts(),
                    published.outputs(), null, stages(job, received), review.usage(),
                    ReviewVerdict.notAnalysed(publication.plan(), review));
        }
        String message = ((PublishOutcome.Failed) outcome).message();
        LOG.errorf("job %s: %s", job.jobId, message);
        job.stage = TrackedJob.Stage.FAILED;
        job.message = message;
        return new JobEvent(job.jobId, JobStatus.FAILED, job.unitsTotal, job.unitsTotal, review.counts(), List.of(),
                message, stages(job, received), review.usage());
    }

    /** Starts the posts of the jobs of the same pull request that waited while this one was posted. */
    private Uni<Void> handOver(String scopeKey, String jobId) {
        if (scopeKey == null) {
            return Uni.createFrom().voidItem();
        }
        return claims.waitingIn(scopeKey).invoke(waiting -> waiting.stream().filter(id -> !id.equals(jobId))
                .forEach(this::publishInBackground)).replaceWithVoid();
    }

    /** The final event of a job that ended earlier (for {@link PublicationRetry} to send again); needs a session. */
    Uni<JobEvent> finalEvent(TrackedJob job) {
        Review review = read(job.review, Review.class);
        List<String> outputs = job.outputs == null || job.outputs.isEmpty() ? List.of() : List.of(job.outputs.split("\n"));
        boolean done = job.stage == TrackedJob.Stage.PUBLISHED;
        List<String> retry = done ? ReviewVerdict.notAnalysed(read(job.plan, JobPlan.class), review) : List.of();
        return ReceivedResult.<ReceivedResult>list("jobId", job.jobId).map(received -> new JobEvent(job.jobId,
                done ? JobStatus.DONE : JobStatus.FAILED, job.unitsTotal, job.unitsTotal, review.counts(), outputs,
                job.message, stages(job, received), review.usage(), retry));
    }

    /**
     * Sends the final event of a job that ended earlier (for {@link PublicationRetry}) if this replica can claim it:
     * not when it was sent meanwhile, nor while another replica, or this one's poster, is sending it.
     */
    Uni<Void> resendFinalEvent(JobEvent event) {
        return claims.claimFinalEvent(event.jobId()).chain(claimed -> {
            if (!claimed) {
                LOG.debugf("job %s: its final event is sent already or being sent elsewhere", event.jobId());
                return Uni.createFrom().voidItem();
            }
            return sendFinalEvent(event);
        });
    }

    /**
     * Sends a job's final event under this replica's claim on it, then records that it went out and gives the claim
     * up. A send that fails gives the claim up at once, for the retry; a replica that dies before recording leaves
     * the claim to expire, and the retry sends the event again then (at least once; the scanner applies the first
     * final event of a job and ignores the rest).
     */
    private Uni<Void> sendFinalEvent(JobEvent event) {
        String jobId = event.jobId();
        return events.send(write(event))
                .onFailure().call(() -> claims.release(jobId).onFailure().recoverWithNull())
                .chain(() -> afterFinalEventSent.apply(jobId))
                .chain(() -> claims.finalEventSent(jobId));
    }

    /**
     * Test seam: {@code step} runs after a final event is sent and before it is recorded as sent (nothing runs there
     * otherwise), so a test can hold a job at that point.
     */
    void afterFinalEventSent(Function<String, Uni<Void>> step) {
        afterFinalEventSent = step;
    }

    /**
     * The job's stage spans as the publisher knows them, for the scanner's job profile: each unit's spans from
     * its analyzer, each result's transit and storage here, and publishing from composing the review to the end of
     * posting (deferrals included: a rate-limited platform is publishing time).
     */
    private List<StageSpan> stages(TrackedJob job, List<ReceivedResult> received) {
        List<StageSpan> spans = new ArrayList<>();
        for (ReceivedResult r : received) {
            spans.addAll(read(r.payload, UnitResult.class).stages());
            if (r.stages != null) {
                spans.addAll(List.of(read(r.stages, StageSpan[].class)));
            }
        }
        if (job.publishingStartedAt != null && job.publishedAt != null) {
            spans.add(new StageSpan(Stage.PUBLISHING, ReviewCompletion.SOURCE, job.publishingStartedAt, job.publishedAt));
        }
        return spans;
    }

    private <T> T read(String text, Class<T> type) {
        return StoredJson.read(json, text, type);
    }

    private String write(Object value) {
        return StoredJson.write(json, value);
    }
}
