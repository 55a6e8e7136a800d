package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A file of a work unit, with its content at head.
 *
 * @param path         repository-relative path at head
 * @param blobSha      git blob id of the content at head (the content address for caches)
 * @param content      the file's text (UTF-8 validated by the scanner)
 * @param changedLines the lines added or changed between base and head; findings elsewhere are not
 *                     reported inline. Every line for a new file.
 * @param instructions extra instructions for LLM analyzers from the repository configuration for this
 *                     path, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FileToAnalyze(String path, String blobSha, String content, List<LineRange> changedLines,
        String instructions) {
    public FileToAnalyze {
        changedLines = changedLines == null ? List.of() : List.copyOf(changedLines);
    }

    /** A file with no path-specific instructions. */
    public FileToAnalyze(String path, String blobSha, String content, List<LineRange> changedLines) {
        this(path, blobSha, content, changedLines, null);
    }

    /** @return the text of 1-based {@code line} without its line break, or null when there is no such line */
    public String lineText(int line) {
        if (content == null || line < 1) {
            return null;
        }
        int start = 0;
        for (int n = 1; n < line; n++) {
            int next = content.indexOf('\n', start);
            if (next < 0) {
                return null;
            }
            start = next + 1;
        }
        if (start > content.length() || (start == content.length() && line > 1)) {
            return null;
        }
        int end = content.indexOf('\n', start);
        String text = end < 0 ? content.substring(start) : content.substring(start, end);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** @return true when {@code line} was added or changed */
    public boolean isChanged(int line) {
        for (LineRange r : changedLines) {
            if (r.contains(line)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return true when every line from {@code from} to {@code to} (inclusive) was added or changed: a range
     *         of lines that lies in one hunk of the diff whatever the platform's number of context lines
     */
    public boolean isChanged(int from, int to) {
        for (int line = from; line <= to; line++) {
            if (!isChanged(line)) {
                return false;
            }
        }
        return true;
    }
}
