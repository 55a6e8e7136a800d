package dev.drep.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each service's Dockerfile.jvm and its graceful-shutdown settings match what the chart expects. */
class ContainerImagesTest {

    static final Path ROOT = Manifests.K8S_DIR.getParent();
    static final Map<String, Integer> PORTS = Map.of(
            "scanner-service", 8081, "analyzer-service", 8082, "llm-gateway", 8083, "review-publisher", 8084);

    @Test
    void everyServiceHasAFastJarImageRunningAsNonRootOnItsPort() throws IOException {
        int chartUser = Manifests.chartDefaults().path("securityContext").path("runAsUser").asInt();
        for (Map.Entry<String, Integer> service : PORTS.entrySet()) {
            Path dockerfile = ROOT.resolve(service.getKey()).resolve("src/main/docker/Dockerfile.jvm");
            assertThat(dockerfile).as("Dockerfile of %s", service.getKey()).exists();
            String text = Files.readString(dockerfile);
            assertThat(text).contains("COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/")
                    .contains("target/quarkus-app/quarkus/")
                    .contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\"")
                    .contains("JAVA_OPTS_APPEND=")
                    .containsPattern("(?m)^EXPOSE " + service.getValue() + "$");
            Matcher user = Pattern.compile("(?m)^USER (\\S+)$").matcher(text);
            assertThat(user.find()).as("%s sets USER", service.getKey()).isTrue();
            // numeric, so that runAsNonRoot can verify it, and the UID the chart runs as
            assertThat(user.group(1)).isEqualTo(String.valueOf(chartUser));
        }
    }

    @Test
    void everyServiceShutsDownGracefullyWithinThePodsGracePeriod() throws IOException {
        int grace = Manifests.chartDefaults().path("shutdown").path("terminationGracePeriodSeconds").asInt();
        int delay = Integer.parseInt(Manifests.chartDefaults().path("shutdown").path("delay").asText().replace("s", ""));
        for (String service : PORTS.keySet()) {
            String properties = Files.readString(ROOT.resolve(service).resolve("src/main/resources/application.properties"));
            assertThat(properties).as("%s application.properties", service)
                    .containsPattern("(?m)^quarkus\\.shutdown\\.timeout=30s$")
                    .containsPattern("(?m)^quarkus\\.shutdown\\.delay-enabled=true$")
                    .containsPattern("(?m)^quarkus\\.thread-pool\\.shutdown-timeout=20s$")
                    // the delay comes from the chart only: tests and the launcher must stop at once
                    .doesNotContainPattern("(?m)^quarkus\\.shutdown\\.delay=");
        }
        // pre-shutdown delay, then up to 30 s for requests and 20 s for blocking work
        assertThat(grace).isGreaterThanOrEqualTo(delay + 30 + 20);
    }
}
