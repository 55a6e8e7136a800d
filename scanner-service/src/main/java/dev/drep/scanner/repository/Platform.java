package dev.drep.scanner.repository;

import java.util.Locale;
import java.util.Optional;

/** A code-hosting platform drep integrates with. */
public enum Platform {
    GITEA, GITHUB, GITLAB;

    /** @return the lower-case name used in URLs, bodies and {@code PullRequestRef.platform} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the platform named {@code id} (any case), or empty */
    public static Optional<Platform> fromId(String id) {
        if (id != null) {
            for (Platform p : values()) {
                if (p.id().equalsIgnoreCase(id.trim())) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** @return the names of all platforms, for messages */
    public static String names() {
        return "gitea, github, gitlab";
    }
}
