package dev.drep.analyzer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.UnitResult;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Test-only stand-ins: sends work units like the scanner and records results like the publisher. */
@ApplicationScoped
public class TestChannels {
    static final List<UnitResult> RESULTS = new CopyOnWriteArrayList<>();

    private final MutinyEmitter<String> units;
    private final ObjectMapper json;

    public TestChannels(@Channel("test-work-units") MutinyEmitter<String> units, ObjectMapper json) {
        this.units = units;
        this.json = json;
    }

    void send(String payload) {
        units.sendAndAwait(payload);
    }

    void send(Object unit) throws Exception {
        send(json.writeValueAsString(unit));
    }

    @Incoming("recorded-results")
    public void record(String payload) throws Exception {
        RESULTS.add(json.readValue(payload, UnitResult.class));
    }
}
