package dev.drep.core.llm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.Walkthrough;
import java.util.List;

/**
 * What the model said about one file content, kept in the content-addressed cache.
 *
 * @param findings the model's findings for the file (paths are replaced by the path of the file they are reused for)
 * @param covered  the changed lines the analysis was done for; it answers a later request only if
 *                 that request's changed lines all lie within them
 * @param walkthrough the {@code describe} analyzer's walkthrough (its entries are keyed by the whole prompt), or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CachedAnalysis(List<Finding> findings, List<LineRange> covered, Walkthrough walkthrough) {
    public CachedAnalysis {
        findings = findings == null ? List.of() : List.copyOf(findings);
        covered = covered == null ? List.of() : List.copyOf(covered);
    }

    /** An analysis of a file's findings. */
    public CachedAnalysis(List<Finding> findings, List<LineRange> covered) {
        this(findings, covered, null);
    }

    /** @return whether every line of {@code changed} lies within {@link #covered()} */
    public boolean covers(List<LineRange> changed) {
        for (LineRange range : changed) {
            for (int line = range.start(); line <= range.end(); line++) {
                if (!contains(line)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean contains(int line) {
        for (LineRange range : covered) {
            if (range.contains(line)) {
                return true;
            }
        }
        return false;
    }
}
