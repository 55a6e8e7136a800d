package dev.drep.launcher.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the last lines of a log file without reading a large file whole. */
public final class LogTail {
    /** How many lines a start failure shows. */
    public static final int DEFAULT_LINES = 40;
    private static final int MAX_BYTES = 256 * 1024;

    private LogTail() {
    }

    /**
     * @return up to {@code lines} last lines of {@code file} that follow the last line starting with
     *         {@code marker} (the start of the latest run in a log holding several)
     */
    public static List<String> readSince(Path file, String marker, int lines) {
        List<String> tail = read(file, lines);
        for (int i = tail.size() - 1; i >= 0; i--) {
            if (tail.get(i).startsWith(marker)) {
                return tail.subList(i + 1, tail.size());
            }
        }
        return tail;
    }

    /** @return up to {@code lines} last lines of {@code file}; empty when it does not exist */
    public static List<String> read(Path file, int lines) {
        if (file == null || !Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            raf.seek(length - size);
            raf.readFully(bytes);
            List<String> all = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n")));
            if (size < length && !all.isEmpty()) {
                all.remove(0); // cut in the middle of a line
            }
            while (!all.isEmpty() && all.get(all.size() - 1).isBlank()) {
                all.remove(all.size() - 1);
            }
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of("(could not read " + file + ": " + e.getMessage() + ")");
        }
    }
}
