package dev.drep.scanner.planning;

import dev.drep.scanner.ScannerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.Repository;

/**
 * The ignore rules for a repository at a commit: the built-in defaults plus configured patterns.
 * Defaults are folder or file names that never hold reviewable sources.
 */
@ApplicationScoped
public class IgnoreRulesSource {
    /** Built-in ignored names (matched against every path segment). */
    static final List<String> DEFAULTS = List.of(".git", "build", "dist", "target", "node_modules", "vendor",
            "__pycache__", "venv", ".venv", "*.egg-info");

    private final List<String> patterns;

    public IgnoreRulesSource(ScannerConfig config) {
        List<String> all = new ArrayList<>(DEFAULTS);
        config.ignore().ifPresent(all::addAll);
        this.patterns = List.copyOf(all);
    }

    /** @return a test answering true for paths to ignore */
    public Predicate<String> forRepository(Repository git, String commit) {
        return path -> {
            for (String segment : path.split("/")) {
                for (String pattern : patterns) {
                    if (pattern.startsWith("*") ? segment.toLowerCase(Locale.ROOT).endsWith(pattern.substring(1))
                            : segment.equals(pattern)) {
                        return true;
                    }
                }
            }
            return false;
        };
    }
}
