package dev.drep.core.review;

import dev.drep.contracts.Finding;
import dev.drep.contracts.LineEdit;
import java.util.List;
import java.util.Optional;

/**
 * Whether a push changed the lines of an earlier inline finding (issue 17, follow-ups: a thread is marked fixed only
 * when "its code changed and no longer reproduces"). A finding whose lines a push left alone still stands, whatever a
 * model says this time: it is kept, moved to where its lines are now.
 */
public final class UntouchedFindings {
    private UntouchedFindings() {
    }

    /**
     * @param earlier a finding on lines {@code line..endLine} of the earlier version of its file
     * @param edits   the file's edits since that version, in order (git's edit list)
     * @return the finding on the same lines of the later version when no edit touched them (shifted by the lines
     *         edits above it added or removed); empty when an edit touched them
     */
    public static Optional<Finding> moved(Finding earlier, List<LineEdit> edits) {
        int start = earlier.line();
        int end = earlier.endLine();
        long shift = 0;
        for (LineEdit edit : edits) {
            if (edit.touches(start, end)) {
                return Optional.empty();
            }
            if (edit.oldLine() < start) {
                shift += (long) edit.newCount() - edit.oldCount();
            }
        }
        if (shift == 0) {
            return Optional.of(earlier);
        }
        return Optional.of(new Finding(earlier.rule(), earlier.path(), (int) (start + shift), (int) (end + shift),
                earlier.severity(), earlier.message(), earlier.suggestion(), earlier.lineText(), earlier.confidence(),
                earlier.model()));
    }
}
