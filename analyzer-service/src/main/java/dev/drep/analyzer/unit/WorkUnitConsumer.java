package dev.drep.analyzer.unit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.WorkUnit;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes work units from the analysis queue (analyzer replicas compete for them), analyses them and
 * publishes one result per unit. The unit is acknowledged only after its result is on the broker and
 * recorded as processed; a redelivered unit that was processed already is acknowledged with no new
 * result. A unit that is not valid JSON is logged and acknowledged: redelivering it cannot help.
 */
@ApplicationScoped
public class WorkUnitConsumer {
    private static final Logger LOG = Logger.getLogger(WorkUnitConsumer.class);

    private final ObjectMapper json;
    private final UnitAnalysis analysis;
    private final MutinyEmitter<String> results;
    private final Vertx vertx;

    public WorkUnitConsumer(ObjectMapper json, UnitAnalysis analysis, @Channel("unit-results") MutinyEmitter<String> results,
            Vertx vertx) {
        this.json = json;
        this.analysis = analysis;
        this.results = results;
        this.vertx = vertx;
    }

    @Incoming("work-units")
    public Uni<Void> consume(String payload) {
        WorkUnit unit;
        try {
            unit = json.readValue(payload, WorkUnit.class);
        } catch (Exception e) {
            LOG.errorf("dropping a work unit that is not valid JSON: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (unit.unitId() == null || unit.jobId() == null) {
            LOG.errorf("dropping a work unit without unitId or jobId: %s", abbreviate(payload));
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(() -> ProcessedUnit.<ProcessedUnit>findById(unit.unitId())).chain(done -> {
            if (done != null) {
                LOG.debugf("unit %s of job %s was processed already; redelivery acknowledged", unit.unitId(), unit.jobId());
                return Uni.createFrom().voidItem();
            }
            return vertx.executeBlocking(Uni.createFrom().item(() -> analysis.run(unit)))
                    .chain(result -> results.send(toJson(result)))
                    .chain(() -> Panache.withTransaction(() -> record(unit)))
                    .replaceWithVoid();
        });
    }

    private Uni<Void> record(WorkUnit unit) {
        return ProcessedUnit.<ProcessedUnit>findById(unit.unitId()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            ProcessedUnit processed = new ProcessedUnit();
            processed.unitId = unit.unitId();
            processed.jobId = unit.jobId();
            processed.processedAt = Instant.now();
            return processed.persist().replaceWithVoid();
        });
    }

    private String toJson(UnitResult result) {
        try {
            return json.writeValueAsString(result);
        } catch (Exception e) {
            throw new IllegalStateException("could not serialise the result of unit " + result.unitId(), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
