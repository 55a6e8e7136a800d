package dev.drep.scanner.planning;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Which analyzer looks at which file, by file type. */
public final class AnalyzerRouting {
    static final String MARKDOWN = "markdown";
    /** Every analyzer a file can be routed to: the names {@code .drep.yaml} may switch on. */
    public static final Set<String> KNOWN = Set.of(MARKDOWN);

    private AnalyzerRouting() {
    }

    /** @return the analyzer for {@code path}, or empty when no analyzer applies to its type */
    static Optional<String> analyzerFor(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".md") || lower.endsWith(".markdown") || lower.endsWith(".mdown") || lower.endsWith(".mkd")) {
            return Optional.of(MARKDOWN);
        }
        return Optional.empty();
    }
}
