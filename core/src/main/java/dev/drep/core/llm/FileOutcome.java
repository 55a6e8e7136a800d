package dev.drep.core.llm;

import dev.drep.contracts.Finding;
import java.util.List;

/**
 * A file's findings, split as the review shows them.
 *
 * @param inline  findings on added or changed lines
 * @param summary findings for the summary only (e.g. on an unchanged line)
 */
public record FileOutcome(List<Finding> inline, List<Finding> summary) {
    public FileOutcome {
        inline = List.copyOf(inline);
        summary = List.copyOf(summary);
    }
}
