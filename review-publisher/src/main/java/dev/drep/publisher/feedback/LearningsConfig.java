package dev.drep.publisher.feedback;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Learning from feedback (docs/architecture.md, "Learning from feedback"). */
@ConfigMapping(prefix = "drep.publisher.learnings")
public interface LearningsConfig {

    /** Whether rules a repository keeps rejecting stop being commented on inline there. */
    @WithDefault("true")
    boolean suppress();

    /** A rule whose findings were rejected (justified) this many times in a repository is suppressed there. */
    @WithDefault("3")
    int suppressAfter();
}
