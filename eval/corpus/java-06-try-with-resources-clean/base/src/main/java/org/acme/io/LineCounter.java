package org.acme.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

public final class LineCounter {
    private LineCounter() {
    }

    public static long count(Path file) throws IOException {
        BufferedReader reader = Files.newBufferedReader(file);
        long lines = reader.lines().count();
        reader.close();
        return lines;
    }
}
