package dev.drep.testsupport.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a Quarkus test's AMQP connector at the JVM's embedded Artemis broker. */
public class EmbeddedBrokerResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "amqp-host", "127.0.0.1",
                "amqp-port", String.valueOf(SharedInfrastructure.broker().port()));
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; stopped by a shutdown hook
    }
}
