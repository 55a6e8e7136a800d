package dev.drep.launcher.stack;

import dev.drep.launcher.LauncherException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code <data>/admin-token}: the admin token of the stack {@code drep up} runs, so that {@code drep review},
 * {@code drep token} and {@code drep guard} on this machine can call it. Created readable and writable by the user only
 * (mode 0600) before a byte is written; replaced by every start, removed when the stack stops.
 */
public final class AdminTokenFile {
    private AdminTokenFile() {
    }

    /** Writes the token, readable by the user only. */
    public static void write(DataFolder data, String token) throws IOException {
        Path file = data.adminToken();
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException raced) {
            throw new IOException("another process created " + file + " while this one wrote it", raced);
        }
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** @return the running stack's admin token; fails naming the file when there is none */
    public static String read(DataFolder data) throws LauncherException {
        Path file = data.adminToken();
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new LauncherException(file + " is empty: restart the stack with 'drep down' and 'drep up'.");
            }
            return token;
        } catch (IOException e) {
            throw new LauncherException("Cannot read the stack's admin token from " + file + " (" + e.getMessage()
                    + "). Is 'drep up' running with this data folder? Otherwise set DREP_TOKEN to a token.", e);
        }
    }

    /** Removes the token file (the stack stopped). */
    public static void delete(DataFolder data) {
        try {
            Files.deleteIfExists(data.adminToken());
        } catch (IOException e) {
            // the next start replaces it; the stopped stack no longer accepts it
        }
    }
}
