package dev.drep.contracts;

/**
 * One edit between two versions of a file, as git's diff reports it: lines {@code oldLine .. oldLine + oldCount - 1}
 * of the earlier version became lines {@code newLine .. newLine + newCount - 1} of the later one (1-based). A count of
 * 0 is an insertion (before old line {@code oldLine}) or a deletion (before new line {@code newLine}).
 *
 * @param oldLine  first line of the earlier version the edit replaces (or inserts before)
 * @param oldCount how many lines of the earlier version it replaces
 * @param newLine  first line of the later version it writes
 * @param newCount how many lines it writes
 */
public record LineEdit(int oldLine, int oldCount, int newLine, int newCount) {
    /** The edit of a file that is gone under its earlier name (deleted or renamed): every line is touched. */
    public static final LineEdit WHOLE_FILE = new LineEdit(1, Integer.MAX_VALUE, 1, 0);

    /**
     * @return whether the edit touches lines {@code start..end} of the earlier version: replaces or deletes one of
     *         them, or inserts next to them (right after {@code end} or right before {@code start})
     */
    public boolean touches(int start, int end) {
        if (oldCount == 0) {
            return start <= oldLine && end >= oldLine - 1;
        }
        long last = (long) oldLine + oldCount - 1;
        return start <= last && end >= oldLine;
    }
}
