package dev.drep.core.git;

import dev.drep.contracts.LineRange;
import java.util.List;

/**
 * A file that differs between base and head.
 *
 * @param type         how it changed
 * @param oldPath      path at base (null when added)
 * @param path         path at head (the old path when deleted)
 * @param blobId       blob id at head (null when deleted)
 * @param changedLines added or changed lines of the head version (empty when deleted)
 */
public record ChangedFile(ChangeType type, String oldPath, String path, String blobId, List<LineRange> changedLines) {
    public ChangedFile {
        changedLines = List.copyOf(changedLines);
    }
}
