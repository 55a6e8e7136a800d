package dev.drep.publisher;

import static dev.drep.publisher.Jobs.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With the broker unreachable the publisher stays alive (liveness UP: restarting it would not bring the
 * broker back) but is not ready (readiness DOWN, naming the channels), while the database is fine.
 */
@QuarkusTest
@TestProfile(BrokerUnreachableHealthTest.NoBroker.class)
class BrokerUnreachableHealthTest {
    /** Health and metrics are on the management interface, a port of its own. */
    @TestHTTPResource(value = "health/ready", management = true)
    URL readyEndpoint;
    @TestHTTPResource(value = "health/live", management = true)
    URL liveEndpoint;

    /** The real database, and a broker address where nothing listens. The module's only test profile. */
    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("amqp-host", "127.0.0.1", "amqp-port", String.valueOf(closedPort()));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EmbeddedPostgresResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void livenessIsUpAndReadinessDownWhileTheBrokerCannotBeReached() throws Exception {
        await(() -> RestAssured.get(readyEndpoint).statusCode() == 503);
        JsonPath ready = RestAssured.get(readyEndpoint).then().statusCode(503).extract().jsonPath();
        assertThat(ready.getString("status")).isEqualTo("DOWN");
        assertThat(ready.getString("checks.find { it.name.contains('Reactive PostgreSQL') }.status")).isEqualTo("UP");
        assertThat(ready.getString("checks.find { it.name.contains('Messaging') }.status")).isEqualTo("DOWN");
        assertThat(ready.getMap("checks.find { it.name.contains('Messaging') }.data")).containsKeys("job-events");
        assertThat(ready.getString("checks.find { it.name == 'Results queue receiver' }.status")).isEqualTo("DOWN");

        JsonPath live = RestAssured.get(liveEndpoint).then().statusCode(200).extract().jsonPath();
        assertThat(live.getString("status")).isEqualTo("UP");
        assertThat(live.prettify()).doesNotContain("job-events", "Results queue receiver");
    }
}
