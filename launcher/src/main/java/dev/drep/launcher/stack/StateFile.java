package dev.drep.launcher.stack;

import dev.drep.launcher.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** Reads and writes the state file of a {@code drep up} stack; writes are atomic so a reader never sees half a file. */
public final class StateFile {
    private final Path file;

    public StateFile(Path file) {
        this.file = file;
    }

    /** @return the state file of the data folder */
    public static StateFile of(DataFolder data) {
        return new StateFile(data.stateFile());
    }

    /** @return the path */
    public Path path() {
        return file;
    }

    /** @return the recorded state; empty when there is no file or it cannot be read (a stack half-written by a crash) */
    public Optional<StackState> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), StackState.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Replaces the file's content with {@code state}. */
    public void write(StackState state) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), state);
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Removes the file, if there is one. */
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
