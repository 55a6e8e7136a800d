package dev.drep.analyzer.unit;

import dev.drep.contracts.Addresses;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How a replica takes work units from the analysis queue ({@code drep.analyzer.units.*}; environment
 * {@code DREP_ANALYZER_UNITS_*}). The broker connection itself is the messaging one ({@code amqp-host},
 * {@code amqp-port}, {@code amqp-username}, {@code amqp-password}).
 */
@ConfigMapping(prefix = "drep.analyzer.units")
public interface UnitIntakeConfig {

    /** Units analysed at once by this replica: an LLM unit mostly waits for the gateway, so several run together. */
    @WithDefault("8")
    int concurrency();

    /** The queue the scanner sends work units to. */
    @WithDefault(Addresses.ANALYSIS_REQUESTS)
    String address();

    /** The first wait before connecting again after the broker connection is lost; doubles up to 30 s. */
    @WithDefault("1s")
    Duration reconnectDelay();

    /**
     * At a shutdown, how long the units in progress may take to finish before they go back to the queue for
     * another replica (released: their delivery count does not grow); with the shutdown delay and the HTTP
     * shutdown timeout it fits the pod's termination grace period (60 s in the chart).
     */
    @WithDefault("20s")
    Duration shutdownGrace();

    /**
     * How long the record that a unit was processed (kept to recognise a redelivery of it) is kept; older ones are
     * deleted every hour, in batches. A broker redelivers within minutes, so 30 days leaves a wide margin.
     */
    @WithDefault("30d")
    Duration processedRetention();

    /** How many processed-unit records one retention statement deletes; the purge repeats until a batch is short. */
    @WithDefault("1000")
    int retentionBatchSize();
}
