package dev.drep.scanner;

import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Test-only review-publisher stand-in: sends job events to the scanner over the broker. */
@ApplicationScoped
public class JobEventSender {
    private final MutinyEmitter<String> events;

    public JobEventSender(@Channel("test-job-events") MutinyEmitter<String> events) {
        this.events = events;
    }

    void send(String json) {
        events.sendAndAwait(json);
    }
}
