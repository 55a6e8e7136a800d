package dev.drep.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.embedded.FreePorts;
import dev.drep.embedded.LocalBroker;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * An analyzer that starts before its broker is not ready and says why, stays alive, and starts taking work
 * units once the broker is there — nobody has to restart it.
 */
@QuarkusTest
@TestProfile(BrokerLaterTest.BrokerNotYetThere.class)
class BrokerLaterTest {
    /** Health and metrics are on the management interface, a port of its own. */
    @TestHTTPResource(value = "health/ready", management = true)
    URL readyEndpoint;
    @TestHTTPResource(value = "health/live", management = true)
    URL liveEndpoint;

    private static final String CHECK = "checks.find { it.name == 'Analysis queue receiver' }";

    /** The real database, and a broker address where nothing listens yet. */
    public static class BrokerNotYetThere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("amqp-host", "127.0.0.1", "amqp-port", String.valueOf(FreePorts.find()),
                    "drep.analyzer.units.reconnect-delay", "200ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EmbeddedPostgresResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Test
    void theReceiverAttachesWhenTheBrokerComesUp() throws Exception {
        int port = ConfigProvider.getConfig().getValue("amqp-port", Integer.class);
        Units.await(() -> RestAssured.get(readyEndpoint).statusCode() == 503, Duration.ofSeconds(20));
        JsonPath down = RestAssured.get(readyEndpoint).then().statusCode(503).extract().jsonPath();
        assertThat(down.getString(CHECK + ".status")).isEqualTo("DOWN");
        assertThat(down.getString(CHECK + ".data.problem")).contains("drep.analysis.requests", "127.0.0.1:" + port);
        RestAssured.get(liveEndpoint).then().statusCode(200);

        try (LocalBroker broker = LocalBroker.start(null, port)) {
            // the delay doubles from 200 ms while the broker is away: it is tried again within a few seconds
            Units.await(() -> "UP".equals(RestAssured.get(readyEndpoint).jsonPath().getString(CHECK + ".status")),
                    Duration.ofSeconds(30));
            JsonPath up = RestAssured.get(readyEndpoint).jsonPath();
            assertThat(up.getString(CHECK + ".data.problem")).isNull();
        }
    }
}
