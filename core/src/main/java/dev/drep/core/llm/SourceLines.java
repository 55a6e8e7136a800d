package dev.drep.core.llm;

import java.util.ArrayList;
import java.util.List;

/** A file's text as 1-based lines (line terminators {@code \n} and {@code \r\n} removed). */
public final class SourceLines {
    private final String[] lines;

    private SourceLines(String[] lines) {
        this.lines = lines;
    }

    /** @return the lines of {@code content}; a final line terminator does not start another line */
    public static SourceLines of(String content) {
        List<String> lines = new ArrayList<>(content.length() / 32 + 1);
        int start = 0;
        int length = content.length();
        for (int i = 0; i < length; i++) {
            if (content.charAt(i) == '\n') {
                int end = i > start && content.charAt(i - 1) == '\r' ? i - 1 : i;
                lines.add(content.substring(start, end));
                start = i + 1;
            }
        }
        if (start < length) {
            lines.add(content.substring(start));
        }
        return new SourceLines(lines.toArray(new String[0]));
    }

    /** @return the number of lines */
    public int count() {
        return lines.length;
    }

    /** @return line {@code number} (1-based) without its terminator */
    public String line(int number) {
        return lines[number - 1];
    }
}
