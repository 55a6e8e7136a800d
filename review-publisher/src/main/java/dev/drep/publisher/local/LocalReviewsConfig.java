package dev.drep.publisher.local;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * Local reviews write review.md/.json/.sarif into a folder a plan names: off in services, on in the
 * {@code drep} launcher's own stack, and then only under the configured roots (docs/architecture.md,
 * "Local-path reviews").
 */
@ConfigMapping(prefix = "drep.publisher.local-reviews")
public interface LocalReviewsConfig {
    /** Write local reviews at all. */
    @WithDefault("false")
    boolean enabled();

    /** Folders a local review's output folder must be under (absolute paths). */
    Optional<List<String>> outputRoots();
}
