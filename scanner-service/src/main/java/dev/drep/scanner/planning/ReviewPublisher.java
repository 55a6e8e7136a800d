package dev.drep.scanner.planning;

import dev.drep.contracts.CommandReply;
import dev.drep.contracts.JobFailure;
import dev.drep.contracts.JustifiedReply;
import dev.drep.contracts.FindingAcceptance;
import dev.drep.contracts.RepositoryLearnings;
import dev.drep.scanner.ScannerConfig;
import dev.drep.scanner.repository.RepositorySnapshot;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.Review;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Tells the review-publisher what a job consists of before any unit is published, so that every
 * result it receives belongs to a job it knows. Retries briefly: the publisher may be restarting.
 */
@ApplicationScoped
public class ReviewPublisher {
    private final ReviewPublisherClient client;
    private final int registrationRetries;

    public ReviewPublisher(@RestClient ReviewPublisherClient client, ScannerConfig config) {
        this.client = client;
        this.registrationRetries = config.registrationRetries();
    }

    /**
     * @return the review the publisher composed for the job, or null when it has none (unknown to it, or not
     *     composed yet); fails with a message naming the publisher when it cannot be asked
     */
    public Uni<Review> review(String jobId) {
        return client.review(jobId)
                .onFailure(e -> e instanceof WebApplicationException w && w.getResponse().getStatus() == 404)
                .recoverWithNull()
                .onFailure().transform(e -> new IllegalStateException(
                        "could not read the review of job " + jobId + " from review-publisher: " + e.getMessage(), e));
    }

    /**
     * Tells the publisher that a job failed without it (its deadline passed), so that it reports the failure on the
     * pull request; fails with a message naming the publisher when it cannot (the caller tries again later).
     */
    public Uni<Void> failed(JobFailure failure) {
        return client.failed(failure.jobId(), failure)
                .onFailure().transform(e -> new IllegalStateException(
                        "could not tell review-publisher that job " + failure.jobId() + " failed: " + e.getMessage(), e));
    }

    /**
     * Hands drep's answer to a pull request command to the publisher, which posts it exactly once; fails with a
     * message naming the publisher when it cannot (the command stays unanswered and a redelivery tries again).
     */
    public Uni<Void> reply(CommandReply reply) {
        return client.reply(reply.replyId(), reply)
                .onFailure(e -> !(e instanceof WebApplicationException w) || w.getResponse().getStatus() >= 500
                        || w.getResponse().getStatus() == 409)
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(3)
                .onFailure().transform(e -> new IllegalStateException(
                        "could not hand the answer to a command to review-publisher: " + e.getMessage(), e));
    }

    /**
     * Hands a reply justifying one of drep's findings to the publisher (docs/architecture.md, "Justified findings").
     *
     * @return true when the publisher recorded it, false when the reply's thread is not one of drep's findings (404)
     */
    public Uni<Boolean> justify(JustifiedReply reply) {
        return client.justify(reply.replyKey(), reply).replaceWith(true)
                .onFailure(e -> e instanceof WebApplicationException w && w.getResponse().getStatus() == 404)
                .recoverWithItem(false)
                .onFailure(e -> !(e instanceof WebApplicationException w) || w.getResponse().getStatus() >= 500)
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(3)
                .onFailure().transform(e -> new IllegalStateException(
                        "could not hand a justifying reply to review-publisher: " + e.getMessage(), e));
    }

    /** @return what the publisher learned from feedback on the repository's pull requests */
    public Uni<RepositoryLearnings> learnings(RepositorySnapshot repository) {
        return client.learnings(repository.platform().id(), repository.apiUrl(), repository.fullName())
                .onFailure().transform(e -> new IllegalStateException("could not read the learnings of "
                        + repository.fullName() + " from review-publisher: " + e.getMessage(), e));
    }

    /** @return how drep's inline findings were received in the repository's pull requests, per rule and model */
    public Uni<FindingAcceptance> acceptance(RepositorySnapshot repository) {
        return client.acceptance(repository.platform().id(), repository.apiUrl(), repository.fullName())
                .onFailure().transform(e -> new IllegalStateException("could not read the acceptance of drep's findings"
                        + " in " + repository.fullName() + " from review-publisher: " + e.getMessage(), e));
    }

    /** @return how drep's inline findings were received in every repository's pull requests, per rule and model */
    public Uni<FindingAcceptance> acceptance() {
        return client.acceptance(null, null, null)
                .onFailure().transform(e -> new IllegalStateException("could not read the acceptance of drep's findings"
                        + " from review-publisher: " + e.getMessage(), e));
    }

    /** @return true when the learning was forgotten, false when the repository has no such learning */
    public Uni<Boolean> forget(RepositorySnapshot repository, String learningId) {
        return client.forget(learningId, repository.platform().id(), repository.apiUrl(), repository.fullName())
                .replaceWith(true)
                .onFailure(e -> e instanceof WebApplicationException w && w.getResponse().getStatus() == 404)
                .recoverWithItem(false)
                .onFailure().transform(e -> new IllegalStateException("could not remove a learning of "
                        + repository.fullName() + " at review-publisher: " + e.getMessage(), e));
    }

    /**
     * Registers the job's plan. A publisher that is unreachable or answers 5xx — restarting after a crash or a
     * deploy — is waited for (back-off from 0.2 s, doubling to 5 s, {@code drep.scanner.registration-retries}
     * more attempts: 16 by default, about a minute), as the analyzer waits for the gateway: a restart must not fail the
     * job (KilledServiceEndToEndTest killed the publisher while a job was being planned, and the 3 s the registration
     * used to wait ended the job FAILED). Fails with a message naming the publisher; with a {@link PlanRefused} when
     * the publisher refused the plan itself (4xx), which no later attempt changes.
     */
    public Uni<Void> register(JobPlan plan) {
        return client.register(plan.jobId(), plan)
                .onFailure(ReviewPublisher::mayHeal)
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(registrationRetries)
                .onFailure().transform(e -> mayHeal(e)
                        ? new IllegalStateException("could not hand the job to review-publisher: " + e.getMessage(), e)
                        : new PlanRefused("review-publisher refused the job's plan: " + e.getMessage(), e));
    }

    /** The publisher refused a job's plan (4xx): the plan is wrong, not the publisher away. */
    static final class PlanRefused extends IllegalStateException {
        PlanRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** @return whether waiting may heal the failure: the publisher unreachable, or answering 5xx */
    private static boolean mayHeal(Throwable e) {
        return !(e instanceof WebApplicationException w) || w.getResponse().getStatus() >= 500;
    }
}
