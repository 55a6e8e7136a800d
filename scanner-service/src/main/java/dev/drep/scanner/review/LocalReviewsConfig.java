package dev.drep.scanner.review;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * Reviews of repositories on the scanner's own disk ({@code POST /api/reviews} with a local path): they
 * read the scanner's disk and have the publisher write to it, so they are off in services and on in the
 * {@code drep} launcher's own stack (docs/architecture.md, "Local-path reviews").
 */
@ConfigMapping(prefix = "drep.scanner.local-reviews")
public interface LocalReviewsConfig {
    /** Accept reviews of local paths at all. */
    @WithDefault("false")
    boolean enabled();

    /** Folders a local repository must be under (absolute paths). */
    Optional<List<String>> roots();

    /** Folders a review's {@code outputDir} must be under (absolute paths). */
    Optional<List<String>> outputRoots();
}
