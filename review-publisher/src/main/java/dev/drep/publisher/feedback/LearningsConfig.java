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

    /** Whether 👍/👎 reactions on drep's inline comments are read at the next review of their pull request. */
    @WithDefault("true")
    boolean reactions();

    /** At most this many of drep's most recent inline comments of a pull request have their reactions read per review. */
    @WithDefault("50")
    int reactionComments();
}
