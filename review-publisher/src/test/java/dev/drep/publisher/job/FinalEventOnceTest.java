package dev.drep.publisher.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.Review;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.publisher.Jobs;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job's final event reaches the scanner once, even when a resume pass (this replica's or another's) looks at the
 * job while the event is on its way: between sending it and recording that it went out.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
class FinalEventOnceTest {

    @Inject
    ReviewPosting posting;
    @Inject
    PublicationRetry retry;
    @Inject
    Jobs jobs;
    @Inject
    ObjectMapper json;

    @AfterEach
    void releaseTheSeam() {
        posting.afterFinalEventSent(jobId -> Uni.createFrom().voidItem());
    }

    @Test
    void aResumePassWhileThePostersFinalEventIsOnItsWayDoesNotSendItAgain() throws Throwable {
        String jobId = UUID.randomUUID().toString();
        Gate gate = holdFirstFinalEventOf(jobId);
        // no units: the review is composed and posted on registration, and its final event sent
        jobs.register(new JobPlan(jobId, "repo", "aaaa", "bbbb", List.of(), List.of(), List.of(),
                ReviewTarget.local(Files.createTempDirectory("publisher-once").toString())));
        assertThat(gate.reached).succeedsWithin(Duration.ofSeconds(20));

        // the job is PUBLISHED, its event sent but not yet recorded as sent: a resume pass (the start-up one, a
        // caller's) finds it
        VertxContextSupport.subscribeAndAwait(() -> retry.resumeStoredReviews());
        gate.release.complete(null);

        assertSentOnce(jobId);
    }

    @Test
    void aSecondReplicasResumePassDoesNotSendAFinalEventTheFirstIsSending() throws Throwable {
        String jobId = UUID.randomUUID().toString();
        // published a while ago, its final event not sent then (the broker was away): the retry's to send
        storeUnsent(jobId, Instant.now().minus(Duration.ofMinutes(5)), null);
        Gate gate = holdFirstFinalEventOf(jobId);

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> resume(retry));
        assertThat(gate.reached).succeedsWithin(Duration.ofSeconds(20));
        // another replica's pass (its own PublicationRetry: passes of two processes never join) runs meanwhile
        resume(new PublicationRetry(posting));
        gate.release.complete(null);
        assertThat(first).succeedsWithin(Duration.ofSeconds(20));

        assertSentOnce(jobId);
    }

    @Test
    void aFinalEventClaimedByAReplicaThatDiedBeforeSendingItIsSentOnceTheClaimExpires() throws Throwable {
        String jobId = UUID.randomUUID().toString();
        Instant expires = Instant.now().plusSeconds(3);
        storeUnsent(jobId, Instant.now().minus(Duration.ofMinutes(5)), expires);

        resume(retry);
        assertThat(jobs.finalEvents(jobId)).as("not sent while another replica's claim on it holds").isZero();
        assertThat(notified(jobId)).isFalse();

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            resume(retry);
            return jobs.finalEvents(jobId) > 0;
        });
        assertThat(Instant.now()).isAfter(expires);
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);
        assertSentOnce(jobId);
    }

    /** The first final event of {@code jobId} waits, once sent, until the gate is released; the others pass. */
    private Gate holdFirstFinalEventOf(String jobId) {
        Gate gate = new Gate();
        AtomicBoolean held = new AtomicBoolean();
        posting.afterFinalEventSent(id -> !id.equals(jobId) || !held.compareAndSet(false, true)
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().emitter(emitter -> {
                    // what follows needs the Vert.x context of the post (its Hibernate Reactive session)
                    Context context = Vertx.currentContext();
                    gate.release.thenRun(() -> context.runOnContext(ignored -> emitter.complete(null)));
                    gate.reached.complete(null);
                }));
        return gate;
    }

    private record Gate(CompletableFuture<Void> reached, CompletableFuture<Void> release) {
        Gate() {
            this(new CompletableFuture<>(), new CompletableFuture<>());
        }
    }

    private void storeUnsent(String jobId, Instant publishedAt, Instant eventClaimExpiresAt) throws Throwable {
        TrackedJob job = new TrackedJob();
        job.jobId = jobId;
        job.plan = json.writeValueAsString(new JobPlan(jobId, "repo", "aaaa", "bbbb", List.of(), List.of(), List.of(),
                ReviewTarget.local(Files.createTempDirectory("publisher-unsent").toString())));
        job.unitsTotal = 0;
        job.stage = TrackedJob.Stage.PUBLISHED;
        job.review = json.writeValueAsString(new Review(jobId, "repo", "aaaa", "bbbb", "published",
                Map.of(Severity.INFO, 0), List.of(), List.of(), List.of()));
        job.createdAt = publishedAt.minusSeconds(10);
        job.publishedAt = publishedAt;
        job.outputs = "review.md";
        if (eventClaimExpiresAt != null) {
            // a replica claimed the sending of the event and died before sending it
            job.claimedBy = "publisher-1/dead";
            job.claimExpiresAt = eventClaimExpiresAt;
        }
        jobs.storePublishing(job);
    }

    private void assertSentOnce(String jobId) throws Throwable {
        await().atMost(Duration.ofSeconds(20)).until(() -> notified(jobId));
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);
        // both sends (if there were two) were confirmed by the broker before this point; give the second time to
        // arrive
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(jobs.finalEvents(jobId)).as("final events the scanner received").isEqualTo(1));
    }

    private boolean notified(String jobId) {
        try {
            return jobs.stored(jobId).notified;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static void resume(PublicationRetry pass) {
        try {
            VertxContextSupport.subscribeAndAwait(pass::resumeStoredReviews);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
