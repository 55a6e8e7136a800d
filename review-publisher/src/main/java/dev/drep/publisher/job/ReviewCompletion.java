package dev.drep.publisher.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobEvent;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.Review;
import dev.drep.contracts.Stage;
import dev.drep.contracts.StageSpan;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.UnitUsage;
import dev.drep.core.review.ReviewComposer;
import dev.drep.publisher.platform.PublisherConfig;
import dev.drep.publisher.posting.Publication;
import dev.drep.publisher.posting.PublishOutcome;
import io.opentelemetry.context.Context;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Decides when a job's results are all in, composes the review, stores it (the outbox) and then
 * posts it, reporting progress and the outcome to the scanner. The job row is locked while deciding,
 * so two results arriving together can never compose or post the review twice.
 */
@ApplicationScoped
public class ReviewCompletion {
    private static final Logger LOG = Logger.getLogger(ReviewCompletion.class);
    /** Key of the job id in the log context (MDC): {@code mdc.jobId} in JSON logs. */
    public static final String JOB_LOG_KEY = "jobId";
    /** the source name of the publisher's stage spans */
    static final String SOURCE = "publisher";
    /** the analyzer name of the findings an incremental review carries over from the previous one */
    static final String CARRIED_OVER = "carried-over";
    /** reservation findings are the scanner's, checked again for every review: never carried over */
    private static final String RESERVATION_RULE = "reservation.conflict";

    /** A final event not sent this long after its job ended is re-sent by the scheduled retry. */
    private static final Duration UNSENT_EVENT_GRACE = Duration.ofMinutes(1);

    private final ObjectMapper json;
    private final MutinyEmitter<String> events;
    private final ReviewTargets targets;
    private final Vertx vertx;
    private final PublisherConfig config;
    private final ReviewComposer composer = new ReviewComposer();

    public ReviewCompletion(ObjectMapper json, @Channel("job-events") MutinyEmitter<String> events,
            ReviewTargets targets, Vertx vertx, PublisherConfig config) {
        this.json = json;
        this.events = events;
        this.targets = targets;
        this.vertx = vertx;
        this.config = config;
    }

    private record Step(JobEvent progress, boolean publish) {
    }

    /** Reports progress for the job, and composes and posts its review when every unit is in. */
    public Uni<Void> check(String jobId) {
        return Panache.withTransaction(() -> TrackedJob.<TrackedJob>findById(jobId, LockModeType.PESSIMISTIC_WRITE)
                .chain(job -> {
                    if (job == null || job.stage != TrackedJob.Stage.GATHERING) {
                        return Uni.createFrom().<Step>nullItem();
                    }
                    return ReceivedResult.<ReceivedResult>list("jobId", jobId).chain(received -> {
                        if (received.size() < job.unitsTotal) {
                            return Uni.createFrom().item(new Step(new JobEvent(jobId, JobStatus.ANALYZING,
                                    received.size(), job.unitsTotal, Map.of(), List.of(), null), false));
                        }
                        job.publishingStartedAt = Instant.now();
                        JobPlan plan = read(job.plan, JobPlan.class);
                        return carriedOver(job, plan).map(carried -> {
                            List<UnitResult> results = results(received);
                            if (carried != null) {
                                results.add(carried);
                            }
                            job.review = write(composer.compose(plan, results));
                            job.stage = TrackedJob.Stage.PUBLISHING;
                            return new Step(new JobEvent(jobId, JobStatus.PUBLISHING, received.size(), job.unitsTotal,
                                    Map.of(), List.of(), null), true);
                        });
                    });
                }))
                .chain(step -> {
                    if (step == null) {
                        return Uni.createFrom().voidItem();
                    }
                    Uni<Void> reported = send(step.progress());
                    return step.publish() ? reported.invoke(() -> publishInBackground(jobId)) : reported;
                });
    }

    /**
     * Posting can take minutes (rate limits, an unavailable platform), and neither the analyzer's result
     * message nor the scanner's registration request should wait for it: the review is stored, so it is
     * posted on its own. Should that fail unexpectedly, the job is still PUBLISHING and the scheduled
     * retry takes it up.
     */
    private void publishInBackground(String jobId) {
        // Each post gets a new duplicated Vert.x context: Hibernate Reactive keeps its session there, and
        // two posts must never share one. VertxContextSupport creates it, but refuses to be called from an
        // event loop, so it is called from a worker. The post continues the trace of what started it (the
        // last result's message), and its log lines name the job: both are put on its context, which lives
        // as long as this post.
        Context trace = Context.current();
        Infrastructure.getDefaultWorkerPool().execute(() -> VertxContextSupport.subscribe(() -> {
            trace.makeCurrent(); // not closed: the context ends with the post
            MDC.put(JOB_LOG_KEY, jobId);
            return publish(jobId).toMulti();
        }, subscribe -> subscribe.with(ignored -> { }, failure -> LOG.errorf(
                failure, "job %s: posting the review failed; the scheduled retry tries again", jobId))));
    }

    /**
     * Posts a stored review. The job row stays locked ({@code FOR UPDATE SKIP LOCKED}: a replica that
     * finds it locked leaves it to the one posting) while the review is posted, and jobs posting to the
     * same pull request or repository are serialised by a transaction-scoped advisory lock, so replicas,
     * restarts and two pushes in quick succession never post concurrently to one place. If the
     * publisher dies mid-way the transaction rolls back, the review stays stored and is posted on the
     * next start; what already reached the platform is in the posting ledger, which commits on its own,
     * so the resumed post skips it. A platform that is down or rate limited defers the job: it stays
     * PUBLISHING with a due time, and {@link PublicationRetry} posts it again then.
     */
    Uni<Void> publish(String jobId) {
        return Panache.withTransaction(() -> lockForPosting(jobId).chain(job -> {
            if (job == null || job.stage != TrackedJob.Stage.PUBLISHING) {
                return Uni.createFrom().<JobEvent>nullItem();
            }
            Review review = read(job.review, Review.class);
            JobPlan plan = read(job.plan, JobPlan.class);
            return lockScope(ReviewTargets.scopeKey(plan.target()))
                    .chain(() -> ReceivedResult.<ReceivedResult>list("jobId", jobId))
                    .chain(received -> {
                        Publication publication = new Publication(jobId, job.createdAt, job.attempts, plan, review,
                                received.stream().map(r -> r.unitId).collect(Collectors.toSet()));
                        return vertx.executeBlocking(Uni.createFrom().item(() -> targets.publish(publication)))
                                .onFailure().recoverWithItem(failure -> new PublishOutcome.Failed(
                                        "could not publish the review: " + failure.getMessage()))
                                .map(outcome -> settle(job, review, outcome, received));
                    });
        }))
                .chain(event -> event == null ? Uni.createFrom().voidItem() : notifyScanner(event));
    }

    /** Applies a posting outcome to the (locked) job; returns the final event to send, or null when deferred. */
    private JobEvent settle(TrackedJob job, Review review, PublishOutcome outcome, List<ReceivedResult> received) {
        if (outcome instanceof PublishOutcome.Deferred deferred) {
            job.attempts++;
            if (job.attempts <= config.retry().maxDeferrals()) {
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
                    published.outputs(), null, stages(job, received), review.usage());
        }
        String message = ((PublishOutcome.Failed) outcome).message();
        LOG.errorf("job %s: %s", job.jobId, message);
        job.stage = TrackedJob.Stage.FAILED;
        job.message = message;
        return new JobEvent(job.jobId, JobStatus.FAILED, job.unitsTotal, job.unitsTotal, review.counts(), List.of(),
                message, stages(job, received), review.usage());
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
            spans.add(new StageSpan(Stage.PUBLISHING, SOURCE, job.publishingStartedAt, job.publishedAt));
        }
        return spans;
    }

    /** The job row, locked; null when missing or when another transaction holds it (it is posting). */
    private static Uni<TrackedJob> lockForPosting(String jobId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "SELECT * FROM publisher.tracked_job WHERE job_id = :id FOR UPDATE SKIP LOCKED", TrackedJob.class)
                .setParameter("id", jobId)
                .getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /** Waits for, then holds until the transaction ends, the lock of the place a review is posted to. */
    private static Uni<Void> lockScope(String scopeKey) {
        if (scopeKey == null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .setParameter("key", scopeKey)
                .getResultList())
                .replaceWithVoid();
    }

    /** Sends a job's final event and remembers that it went out. */
    private Uni<Void> notifyScanner(JobEvent event) {
        return send(event).chain(() -> Panache.withTransaction(() -> TrackedJob.<TrackedJob>findById(event.jobId())
                .invoke(job -> job.notified = true))).replaceWithVoid();
    }

    /**
     * On start-up, posts every review that was stored but not posted before the last stop (unless it
     * was deferred to later), and sends final events that were not sent.
     */
    void resumeOnStart(@Observes StartupEvent start) {
        // Hibernate Reactive needs a duplicated Vert.x context; VertxContextSupport provides one
        VertxContextSupport.subscribe(() -> resumeStoredReviews().toMulti(), subscribe -> subscribe.with(
                ignored -> { }, failure -> LOG.error("resuming stored reviews failed", failure)));
    }

    /** Posts the stored but unposted reviews that are due and sends the final events that did not go out. */
    public Uni<Void> resumeStoredReviews() {
        return resume(Instant.now());
    }

    /**
     * The scheduled retry: posts stored reviews that are due (deferred ones whose time has come, and any
     * whose post stopped unexpectedly; one being posted right now is locked and skipped), and re-sends
     * final events that did not go out a minute after the job ended (a younger one may be on its way).
     */
    Uni<Void> retryDue() {
        return resume(Instant.now().minus(UNSENT_EVENT_GRACE));
    }

    private Uni<Void> resume(Instant unsentBefore) {
        return Panache.withSession(() -> TrackedJob.<TrackedJob>list(
                "stage = ?1 and (nextAttemptAt is null or nextAttemptAt <= ?2)", TrackedJob.Stage.PUBLISHING, Instant.now())
                .chain(publishing -> TrackedJob.<TrackedJob>list("stage in ?1 and notified = false and publishedAt <= ?2",
                        List.of(TrackedJob.Stage.PUBLISHED, TrackedJob.Stage.FAILED), unsentBefore)
                        .map(unsent -> concat(publishing, unsent))))
                .chain(this::resume);
    }

    private Uni<Void> resume(List<TrackedJob> jobs) {
        List<TrackedJob> unsent = new ArrayList<>();
        for (TrackedJob job : jobs) {
            if (job.stage == TrackedJob.Stage.PUBLISHING) {
                LOG.infof("job %s: posting the stored review%s", job.jobId,
                        job.attempts > 0 ? " (deferred " + job.attempts + " times)" : "");
                publishInBackground(job.jobId);
            } else {
                unsent.add(job);
            }
        }
        // one after the other: they share this context's Hibernate Reactive session
        return Multi.createFrom().iterable(unsent)
                .onItem().transformToUniAndConcatenate(job -> finalEvent(job).chain(this::notifyScanner))
                .collect().last().replaceWithVoid();
    }

    private static List<TrackedJob> concat(List<TrackedJob> a, List<TrackedJob> b) {
        List<TrackedJob> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private Uni<JobEvent> finalEvent(TrackedJob job) {
        Review review = read(job.review, Review.class);
        List<String> outputs = job.outputs == null || job.outputs.isEmpty() ? List.of() : List.of(job.outputs.split("\n"));
        return Panache.withSession(() -> ReceivedResult.<ReceivedResult>list("jobId", job.jobId)).map(received -> new JobEvent(job.jobId,
                job.stage == TrackedJob.Stage.PUBLISHED ? JobStatus.DONE : JobStatus.FAILED, job.unitsTotal,
                job.unitsTotal, review.counts(), outputs, job.message, stages(job, received), review.usage()));
    }

    /**
     * An incremental review analyses only the files changed since the previous review; the files carried over keep
     * the previous review's findings, which this returns as one more result for the composer (null when there is
     * nothing to carry). They were posted with the previous review, so their fingerprints keep them from being
     * posted twice; the summary and its counts show them again.
     */
    private Uni<UnitResult> carriedOver(TrackedJob job, JobPlan plan) {
        if (plan.previousHead() == null || plan.carriedOver().isEmpty() || job.scopeKey == null) {
            return Uni.createFrom().nullItem();
        }
        return TrackedJob.<TrackedJob>find("scopeKey = ?1 and headSha = ?2 and stage = ?3 order by publishedAt desc",
                        job.scopeKey, plan.previousHead(), TrackedJob.Stage.PUBLISHED)
                .firstResult()
                .map(previous -> {
                    if (previous == null || previous.review == null) {
                        LOG.infof("job %s: no published review at %s to carry findings over from", job.jobId,
                                plan.previousHead());
                        return null;
                    }
                    Review earlier = read(previous.review, Review.class);
                    Set<String> files = Set.copyOf(plan.carriedOver());
                    List<Finding> inline = earlier.findings().stream().filter(f -> files.contains(f.path())).toList();
                    List<Finding> summary = earlier.summaryFindings().stream().filter(f -> files.contains(f.path())
                            && !RESERVATION_RULE.equals(f.rule())).toList();
                    return new UnitResult(CARRIED_OVER + previous.jobId, job.jobId, CARRIED_OVER, inline, List.of(), 0,
                            summary, UnitUsage.NONE, List.of());
                });
    }

    private List<UnitResult> results(List<ReceivedResult> received) {
        List<UnitResult> results = new ArrayList<>(received.size());
        for (ReceivedResult r : received) {
            results.add(read(r.payload, UnitResult.class));
        }
        return results;
    }

    private Uni<Void> send(JobEvent event) {
        return events.send(write(event));
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (Exception e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is unreadable: " + e.getMessage(), e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
