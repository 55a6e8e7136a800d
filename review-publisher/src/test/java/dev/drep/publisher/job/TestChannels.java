package dev.drep.publisher.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.JobEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Test-only stand-ins: sends unit results like an analyzer and records job events like the scanner. */
@ApplicationScoped
public class TestChannels {
    /** Every job event the publisher sent, in arrival order. */
    public static final List<JobEvent> EVENTS = new CopyOnWriteArrayList<>();

    private final MutinyEmitter<String> results;
    private final ObjectMapper json;

    public TestChannels(@Channel("test-results") MutinyEmitter<String> results, ObjectMapper json) {
        this.results = results;
        this.json = json;
    }

    /** Sends a unit result (or, as a String, a raw payload) as an analyzer would. */
    public void send(Object result) throws Exception {
        results.sendAndAwait(result instanceof String s ? s : json.writeValueAsString(result));
    }

    @Incoming("recorded-events")
    public void record(String payload) throws Exception {
        EVENTS.add(json.readValue(payload, JobEvent.class));
    }
}
