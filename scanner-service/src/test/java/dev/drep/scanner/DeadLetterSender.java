package dev.drep.scanner;

import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Test-only broker stand-in: dead-letters a planning request, as the broker does after every delivery failed. */
@ApplicationScoped
public class DeadLetterSender {
    private final MutinyEmitter<String> planRequests;

    public DeadLetterSender(@Channel("test-dead-plan-requests") MutinyEmitter<String> planRequests) {
        this.planRequests = planRequests;
    }

    void planRequest(String jobId) {
        planRequests.sendAndAwait(jobId);
    }
}
