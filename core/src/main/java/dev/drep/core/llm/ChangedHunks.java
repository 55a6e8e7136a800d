package dev.drep.core.llm;

import dev.drep.contracts.LineRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Hunks of a changed file as a reviewer sees them: each run of added or changed lines with
 * {@code context} unchanged lines around it, overlapping hunks merged, each line numbered with its
 * number in the new file.
 */
public final class ChangedHunks {
    private ChangedHunks() {
    }

    /**
     * @param changed   the changed line ranges (any order, may overlap)
     * @param context   unchanged lines to show before and after each change
     * @param lineCount lines in the file; ranges are clipped to it
     * @return the hunks, in file order, merged where they overlap or touch
     */
    public static List<LineRange> around(List<LineRange> changed, int context, int lineCount) {
        List<LineRange> sorted = new ArrayList<>(changed);
        sorted.sort(Comparator.comparingInt(LineRange::start));
        List<LineRange> hunks = new ArrayList<>();
        int start = -1;
        int end = -1;
        for (LineRange range : sorted) {
            if (range.start() > lineCount) {
                continue;
            }
            int from = Math.max(1, range.start() - context);
            int to = Math.min(lineCount, range.end() + context);
            if (start < 0) {
                start = from;
                end = to;
            } else if (from <= end + 1) {
                end = Math.max(end, to);
            } else {
                hunks.add(new LineRange(start, end));
                start = from;
                end = to;
            }
        }
        if (start > 0) {
            hunks.add(new LineRange(start, end));
        }
        return hunks;
    }

    /**
     * Renders lines {@code range} as {@code "  42+| text"} ({@code +} marks a changed line) or
     * {@code "  41 | text"}.
     *
     * @param lines   the file
     * @param range   the lines to render
     * @param changed whether a line was added or changed
     * @return the numbered text, one line per file line, each ending with {@code \n}
     */
    public static String render(SourceLines lines, LineRange range, IntPredicate changed) {
        return render(lines, range, changed, Integer.toString(range.end()).length());
    }

    /**
     * As {@link #render(SourceLines, LineRange, IntPredicate)}, with line numbers right-aligned to
     * {@code width} characters (the same width for every hunk of one prompt section).
     */
    public static String render(SourceLines lines, LineRange range, IntPredicate changed, int width) {
        StringBuilder out = new StringBuilder((range.end() - range.start() + 1) * 48);
        for (int n = range.start(); n <= range.end(); n++) {
            String number = Integer.toString(n);
            for (int pad = number.length(); pad < width; pad++) {
                out.append(' ');
            }
            out.append(number).append(changed.test(n) ? '+' : ' ')
                    .append("| ").append(lines.line(n)).append('\n');
        }
        return out.toString();
    }

    /** @return the characters {@link #render} produces for line {@code n} of a range ending at {@code rangeEnd} */
    static int renderedLength(SourceLines lines, int n, int rangeEnd) {
        return Integer.toString(rangeEnd).length() + 3 + lines.line(n).length() + 1;
    }
}
