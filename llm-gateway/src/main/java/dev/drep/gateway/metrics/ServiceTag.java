package dev.drep.gateway.metrics;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Tags every meter of this service (drep's and Quarkus' own) with {@code service="gateway"}, so that
 * series of the four services stay apart in one Prometheus. Each service has the same producer with
 * its own name (docs/observability.md).
 */
@Singleton
public class ServiceTag {

    /** @return the filter Quarkus applies to every registry */
    @Produces
    @Singleton
    MeterFilter serviceTag() {
        return MeterFilter.commonTags(Tags.of("service", "gateway"));
    }
}
