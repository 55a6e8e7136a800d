package dev.drep.publisher.local;

import dev.drep.contracts.Review;
import dev.drep.contracts.ReviewTarget;
import dev.drep.core.local.FolderRoots;
import dev.drep.core.review.ReviewRenderer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The local target: writes review.md, review.json and review.sarif into the requested folder. Each
 * file is written to a temporary name and moved into place, so a reader never sees half a review.
 */
@ApplicationScoped
public class LocalReviewWriter {
    private final ReviewRenderer renderer = new ReviewRenderer();
    private final boolean enabled;
    private final FolderRoots outputRoots;

    public LocalReviewWriter(LocalReviewsConfig config) {
        this.enabled = config.enabled();
        this.outputRoots = new FolderRoots(config.outputRoots().orElse(List.of()));
    }

    /**
     * @return the absolute paths written
     * @throws IllegalStateException when local reviews are off or the folder is outside the output roots
     */
    public List<String> write(Review review, ReviewTarget target) {
        if (!ReviewTarget.LOCAL.equals(target.kind())) {
            throw new IllegalArgumentException("unsupported review target '" + target.kind() + "'");
        }
        if (!enabled) {
            throw new IllegalStateException("local reviews are off in this publisher (drep.publisher.local-reviews.enabled"
                    + "=false); nothing was written");
        }
        // the plan names the folder: the publisher checks it against its own roots, whatever the scanner did
        Path dir = outputRoots.contain(target.outputDir() == null ? "" : target.outputDir())
                .filter(p -> Path.of(target.outputDir()).isAbsolute())
                .orElseThrow(() -> new IllegalStateException("the output folder must be an absolute path under one of "
                        + "the folders of drep.publisher.local-reviews.output-roots " + outputRoots.roots()
                        + "; nothing was written"));
        try {
            Files.createDirectories(dir);
            return List.of(
                    put(dir.resolve("review.md"), renderer.toMarkdown(review)),
                    put(dir.resolve("review.json"), renderer.toJson(review)),
                    put(dir.resolve("review.sarif"), renderer.toSarif(review)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the review into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String put(Path file, String content) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file.toAbsolutePath().toString();
    }
}
