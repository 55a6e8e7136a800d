package dev.drep.scanner;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.WorkUnit;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Test-only analyzer stand-in: records the work units the scanner puts on the broker. */
@ApplicationScoped
public class WorkUnitRecorder {
    static final List<WorkUnit> UNITS = new CopyOnWriteArrayList<>();

    private final ObjectMapper json;

    public WorkUnitRecorder(ObjectMapper json) {
        this.json = json;
    }

    @Incoming("recorded-work-units")
    public void record(String payload) throws Exception {
        UNITS.add(json.readValue(payload, WorkUnit.class));
    }
}
