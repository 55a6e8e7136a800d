package dev.drep.scanner.config;

import dev.drep.paths.PathPattern;
import java.util.List;

/**
 * Extra instructions for LLM analyzers on the files matching any of {@code patterns}.
 *
 * @param patterns gitignore-style globs, relative to the repository root
 * @param text     the instructions
 */
public record PathInstruction(List<PathPattern> patterns, String text) {
    public PathInstruction {
        patterns = List.copyOf(patterns);
    }

    /** @return true when a pattern matches the file {@code path} */
    public boolean appliesTo(String path) {
        for (PathPattern pattern : patterns) {
            if (pattern.matchesExactly(path, false)) {
                return true;
            }
        }
        return false;
    }
}
