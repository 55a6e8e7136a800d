package dev.drep.publisher.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.JobEvent;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.Review;
import dev.drep.contracts.UnitResult;
import dev.drep.core.review.ReviewComposer;
import dev.drep.publisher.local.LocalReviewWriter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Decides when a job's results are all in, composes the review, stores it (the outbox) and then
 * posts it, reporting progress and the outcome to the scanner. The job row is locked while deciding,
 * so two results arriving together can never compose or post the review twice.
 */
@ApplicationScoped
public class ReviewCompletion {
    private static final Logger LOG = Logger.getLogger(ReviewCompletion.class);

    private final ObjectMapper json;
    private final MutinyEmitter<String> events;
    private final LocalReviewWriter writer;
    private final Vertx vertx;
    private final ReviewComposer composer = new ReviewComposer();

    public ReviewCompletion(ObjectMapper json, @Channel("job-events") MutinyEmitter<String> events,
            LocalReviewWriter writer, Vertx vertx) {
        this.json = json;
        this.events = events;
        this.writer = writer;
        this.vertx = vertx;
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
                    return ReceivedResult.<ReceivedResult>list("jobId", jobId).map(received -> {
                        if (received.size() < job.unitsTotal) {
                            return new Step(new JobEvent(jobId, JobStatus.ANALYZING, received.size(), job.unitsTotal,
                                    Map.of(), List.of(), null), false);
                        }
                        Review review = composer.compose(read(job.plan, JobPlan.class), results(received));
                        job.review = write(review);
                        job.stage = TrackedJob.Stage.PUBLISHING;
                        return new Step(new JobEvent(jobId, JobStatus.PUBLISHING, received.size(), job.unitsTotal,
                                Map.of(), List.of(), null), true);
                    });
                }))
                .chain(step -> {
                    if (step == null) {
                        return Uni.createFrom().voidItem();
                    }
                    Uni<Void> reported = send(step.progress());
                    return step.publish() ? reported.chain(() -> publish(jobId)) : reported;
                });
    }

    /**
     * Posts a stored review. The job row stays locked while the review is posted, so replicas and
     * restarts never post the same review twice; if the publisher dies mid-way the transaction rolls
     * back, the review stays stored, and it is posted on the next start.
     */
    Uni<Void> publish(String jobId) {
        return Panache.withTransaction(() -> TrackedJob.<TrackedJob>findById(jobId, LockModeType.PESSIMISTIC_WRITE)
                .chain(job -> {
                    if (job == null || job.stage != TrackedJob.Stage.PUBLISHING) {
                        return Uni.createFrom().<JobEvent>nullItem();
                    }
                    Review review = read(job.review, Review.class);
                    JobPlan plan = read(job.plan, JobPlan.class);
                    return vertx.executeBlocking(Uni.createFrom().item(() -> writer.write(review, plan.target())))
                            .map(outputs -> {
                                job.stage = TrackedJob.Stage.PUBLISHED;
                                job.outputs = String.join("\n", outputs);
                                job.publishedAt = Instant.now();
                                return new JobEvent(jobId, JobStatus.DONE, job.unitsTotal, job.unitsTotal,
                                        review.counts(), outputs, null);
                            })
                            .onFailure().recoverWithItem(failure -> {
                                String message = "could not publish the review: " + failure.getMessage();
                                LOG.errorf("job %s: %s", jobId, message);
                                job.stage = TrackedJob.Stage.FAILED;
                                job.message = message;
                                job.publishedAt = Instant.now();
                                return new JobEvent(jobId, JobStatus.FAILED, job.unitsTotal, job.unitsTotal,
                                        review.counts(), List.of(), message);
                            });
                }))
                .chain(event -> event == null ? Uni.createFrom().voidItem() : notifyScanner(event));
    }

    /** Sends a job's final event and remembers that it went out. */
    private Uni<Void> notifyScanner(JobEvent event) {
        return send(event).chain(() -> Panache.withTransaction(() -> TrackedJob.<TrackedJob>findById(event.jobId())
                .invoke(job -> job.notified = true))).replaceWithVoid();
    }

    /**
     * On start-up, posts every review that was stored but not posted before the last stop, and sends
     * final events that were not sent.
     */
    void resumeOnStart(@Observes StartupEvent start) {
        // Hibernate Reactive needs a duplicated Vert.x context; VertxContextSupport provides one
        VertxContextSupport.subscribe(() -> resumeStoredReviews().toMulti(), subscribe -> subscribe.with(
                ignored -> { }, failure -> LOG.error("resuming stored reviews failed", failure)));
    }

    /** Posts the stored but unposted reviews and sends the final events that did not go out. */
    Uni<Void> resumeStoredReviews() {
        return Panache.withSession(() -> TrackedJob.<TrackedJob>list("stage = ?1 or (stage in ?2 and notified = false)",
                TrackedJob.Stage.PUBLISHING, List.of(TrackedJob.Stage.PUBLISHED, TrackedJob.Stage.FAILED)))
                .chain(jobs -> {
                    List<Uni<Void>> resumed = new ArrayList<>();
                    for (TrackedJob job : jobs) {
                        if (job.stage == TrackedJob.Stage.PUBLISHING) {
                            LOG.infof("job %s: posting the review stored before the last stop", job.jobId);
                            resumed.add(publish(job.jobId));
                        } else {
                            resumed.add(notifyScanner(finalEvent(job)));
                        }
                    }
                    return resumed.isEmpty() ? Uni.createFrom().voidItem()
                            : Uni.join().all(resumed).andCollectFailures().replaceWithVoid();
                });
    }

    private JobEvent finalEvent(TrackedJob job) {
        Review review = read(job.review, Review.class);
        List<String> outputs = job.outputs == null || job.outputs.isEmpty() ? List.of() : List.of(job.outputs.split("\n"));
        return new JobEvent(job.jobId, job.stage == TrackedJob.Stage.PUBLISHED ? JobStatus.DONE : JobStatus.FAILED,
                job.unitsTotal, job.unitsTotal, review.counts(), outputs, job.message);
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
