package dev.drep.publisher.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drep.contracts.JobEvent;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.UnitResult;
import dev.drep.publisher.Jobs;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.arc.ClientProxy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A result whose job could not be checked for completion once it was stored is checked again on its redelivery. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
class ResultRedeliveryTest {

    @Inject
    Jobs jobs;
    @Inject
    TestChannels channels;
    @Inject
    ReviewCompletion completion;

    @Test
    void aJobWhoseCompletionCheckFailedAfterItsLastResultWasStoredIsPublishedOnTheRedelivery() throws Throwable {
        String jobId = UUID.randomUUID().toString();
        String unit = "u-" + jobId;
        jobs.register(new JobPlan(jobId, "repo", "aaaa", "bbbb", List.of(unit), List.of(), List.of(),
                ReviewTarget.local(Files.createTempDirectory("publisher-redelivery").toString())));
        FailingOnce failing = new FailingOnce(ClientProxy.unwrap(completion), jobId);
        QuarkusMock.installMockForType(failing, ReviewCompletion.class);

        long started = System.nanoTime();
        channels.send(new UnitResult(unit, jobId, "markdown", List.of(), List.of(), 3));

        // the broker redelivers the result 100 ms later (the tests' redelivery); the scanner's deadline would be 30 min
        JobEvent last = jobs.awaitFinal(jobId);
        assertThat(last.status()).isEqualTo(JobStatus.DONE);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        assertThat(failing.calls).as("checked after the store (failed) and again on the redelivery").hasValueGreaterThan(1);
        Long stored = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> ReceivedResult.count("jobId", jobId)));
        assertThat(stored).as("the redelivered result is stored once").isEqualTo(1L);
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(jobs.finalEvents(jobId)).as("final events the scanner received").isEqualTo(1));
    }

    /** The completion check, failing the first time it looks at one job (as a database that broke off would). */
    static final class FailingOnce extends ReviewCompletion {
        private final ReviewCompletion real;
        private final String jobId;
        final AtomicInteger calls = new AtomicInteger();

        FailingOnce(ReviewCompletion real, String jobId) {
            super(null, null, null);
            this.real = real;
            this.jobId = jobId;
        }

        @Override
        public Uni<Void> check(String job) {
            if (job.equals(jobId) && calls.incrementAndGet() == 1) {
                return Uni.createFrom().failure(new IllegalStateException(
                        "injected: the connection to the database broke off while checking job " + job));
            }
            return real.check(job);
        }
    }
}
