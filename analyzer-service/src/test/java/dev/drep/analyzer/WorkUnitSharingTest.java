package dev.drep.analyzer;

import static dev.drep.analyzer.Units.file;
import static dev.drep.analyzer.Units.unit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.Addresses;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.WorkUnit;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Analyzer replicas share the queue: a replica holds only the units it is working on (and the next one), so a
 * replica that starts while a backlog waits — the autoscaler's reason to start it — gets work from that backlog.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(FakeGatewayResource.class)
class WorkUnitSharingTest extends LlmAnalyzerTestBase {
    private static final int UNITS = 20;
    /** Units this replica works on at once (drep.analyzer.units.concurrency, default). */
    private static final int CONCURRENCY = 8;

    @Test
    void aReplicaThatJoinsLaterTakesUnitsFromTheBacklog() throws Exception {
        // under the tests' 1.5 s gateway timeout, long enough for the other replica to attach while these run
        llm.answer("{\"findings\":[]}").latency(Duration.ofMillis(1000));
        List<WorkUnit> units = new ArrayList<>();
        for (int i = 0; i < UNITS; i++) {
            WorkUnit unit = unit("llm-review", "batch", file("src/backlog" + i + ".py", 20, 3));
            units.add(unit);
            channels.send(unit);
        }
        Units.await(() -> llm.inFlight() >= CONCURRENCY, Duration.ofSeconds(20));

        Set<String> takenByTheOtherReplica = ConcurrentHashMap.newKeySet();
        ObjectMapper json = new ObjectMapper();
        Vertx vertx = Vertx.vertx();
        AmqpClient other = AmqpClient.create(vertx, new AmqpClientOptions().setHost("127.0.0.1")
                .setPort(ConfigProvider.getConfig().getValue("amqp-port", Integer.class)));
        try {
            other.connect().compose(connection -> connection.createReceiver(Addresses.ANALYSIS_REQUESTS,
                    new AmqpReceiverOptions().setCapabilities(List.of("queue")))).onSuccess(receiver ->
                    receiver.handler(message -> {
                        try {
                            takenByTheOtherReplica.add(json.readValue(message.bodyAsString(), WorkUnit.class).unitId());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        message.accepted();
                    })).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            // everything beyond what this replica works on (and the one unit it may hold next) is still queued
            Units.await(() -> takenByTheOtherReplica.size() >= UNITS - CONCURRENCY - 1, Duration.ofSeconds(10));
        } finally {
            other.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close();
        }

        List<String> ours = units.stream().map(WorkUnit::unitId).filter(id -> !takenByTheOtherReplica.contains(id))
                .toList();
        for (String id : ours) {
            UnitResult result = Units.awaitResult(id);
            assertThat(result.notAnalyzed()).as("unit %s analysed", id).isEmpty();
        }
        assertThat(TestChannels.RESULTS).extracting(UnitResult::unitId).doesNotContainAnyElementsOf(takenByTheOtherReplica);
    }
}
