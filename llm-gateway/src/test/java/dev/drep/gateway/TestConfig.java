package dev.drep.gateway;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** {@link GatewayConfig} from a few properties, without Quarkus, for unit tests. */
public final class TestConfig {

    private TestConfig() {
    }

    /**
     * @param properties {@code drep.gateway.*} properties; everything else takes its default
     * @return the mapping
     */
    public static GatewayConfig of(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                // Quarkus' own converter, for its short forms such as 10m and 24h
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }
}
