package dev.drep.core.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The folders a service may read local repositories from or write local reviews into. A path is inside
 * when, with symbolic links resolved as far as it exists, it lies under one of the roots (also resolved),
 * so a link inside a root cannot lead out of it.
 */
public final class FolderRoots {
    private final List<Path> roots;

    /** @param roots absolute folders; blank entries are ignored */
    public FolderRoots(List<String> roots) {
        List<Path> resolved = new ArrayList<>();
        for (String root : roots) {
            if (root != null && !root.isBlank()) {
                resolved.add(real(Path.of(root.strip()).toAbsolutePath().normalize()));
            }
        }
        this.roots = List.copyOf(resolved);
    }

    /** @return the roots, as configured after resolving links */
    public List<Path> roots() {
        return roots;
    }

    /**
     * @param path an absolute path, existing or not
     * @return the path with links resolved as far as it exists, when that lies under a root; else empty
     *         (also for a path that is not valid), so that a caller answers the same for a path outside the
     *         roots whether or not it exists
     */
    public Optional<Path> contain(String path) {
        Path resolved;
        try {
            resolved = real(Path.of(path).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        for (Path root : roots) {
            if (resolved.startsWith(root)) {
                return Optional.of(resolved);
            }
        }
        return Optional.empty();
    }

    /** @return the path with links resolved in its longest existing prefix and the rest appended */
    private static Path real(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path)).normalize();
        } catch (IOException e) {
            return path;
        }
    }
}
