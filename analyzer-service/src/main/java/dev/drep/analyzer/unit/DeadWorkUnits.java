package dev.drep.analyzer.unit;

import dev.drep.analyzer.metrics.AnalyzerMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the dead-letter queue of work units ({@code drep.analysis.requests.dead}): the broker moves a unit there
 * after every delivery attempt failed (the analyzer crashed on it, or could not reach the database or the broker for
 * the whole redelivery period). Its files end as "not analysed" with the reason ({@link WorkUnitConsumer#deadLettered}),
 * counted in {@code drep_analyzer_dead_letters_total}. A few messages a second at most: a messaging channel is enough.
 */
@ApplicationScoped
public class DeadWorkUnits {
    /** The queue the units died on, as the metric's {@code queue} label names it. */
    public static final String QUEUE = "drep.analysis.requests";

    private final WorkUnitConsumer units;
    private final AnalyzerMetrics metrics;

    public DeadWorkUnits(WorkUnitConsumer units, AnalyzerMetrics metrics) {
        this.units = units;
        this.metrics = metrics;
    }

    @Incoming("dead-work-units")
    public Uni<Void> consume(String payload) {
        return units.deadLettered(payload).invoke(() -> metrics.deadLetter(QUEUE));
    }
}
