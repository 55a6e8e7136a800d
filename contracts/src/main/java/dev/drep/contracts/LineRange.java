package dev.drep.contracts;

/**
 * An inclusive range of 1-based line numbers in the new version of a file.
 *
 * @param start first line
 * @param end   last line, {@code >= start}
 */
public record LineRange(int start, int end) {
    public LineRange {
        if (start < 1 || end < start) {
            throw new IllegalArgumentException("invalid line range " + start + "-" + end);
        }
    }

    /** @return true when {@code line} lies in this range */
    public boolean contains(int line) {
        return line >= start && line <= end;
    }
}
