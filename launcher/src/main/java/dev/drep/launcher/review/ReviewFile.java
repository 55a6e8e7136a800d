package dev.drep.launcher.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.drep.contracts.JobView;
import dev.drep.contracts.Review;
import dev.drep.launcher.Json;
import dev.drep.launcher.LauncherException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The review.json a finished job wrote.
 *
 * @param path    where it is
 * @param content its text, printed as is by {@code --format json}
 * @param review  its content
 */
public record ReviewFile(Path path, String content, Review review) {
    /** The file name the review-publisher writes the {@link Review} to. */
    public static final String NAME = "review.json";

    /**
     * Finds the job's review.json: the one among the job's outputs, else the one in the output folder.
     * A file left in the folder by an earlier job (another job id inside) is not this job's review.
     *
     * @return the review, or empty when the job wrote none
     * @throws LauncherException when the file exists but cannot be read as a review
     */
    public static Optional<ReviewFile> find(JobView job, Path outputDir) throws LauncherException {
        for (Path candidate : candidates(job, outputDir)) {
            if (!Files.isRegularFile(candidate)) {
                continue;
            }
            String content;
            Review review;
            try {
                content = Files.readString(candidate, StandardCharsets.UTF_8);
                review = Json.MAPPER.readValue(content, Review.class);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new LauncherException(candidate + " is not a drep review (" + e.getMessage().lines().findFirst()
                        .orElse("") + "). It may have been written by another version of drep: delete it and review again.", e);
            } catch (IOException e) {
                throw new LauncherException("Could not read " + candidate + ": " + e.getMessage(), e);
            }
            if (review == null || review.jobId() != null && !review.jobId().equals(job.id())) {
                continue;
            }
            return Optional.of(new ReviewFile(candidate, content, review));
        }
        return Optional.empty();
    }

    /** @return the job's outputs as local paths (absolute paths, {@code file:} URIs, or names in the output folder) */
    public static List<Path> outputPaths(JobView job, Path outputDir) {
        List<Path> paths = new ArrayList<>();
        if (job.outputs() == null) {
            return paths;
        }
        for (String output : job.outputs()) {
            if (output == null || output.isBlank()) {
                continue;
            }
            try {
                if (output.startsWith("file:")) {
                    paths.add(Path.of(URI.create(output)));
                } else if (!output.contains("://")) {
                    paths.add(outputDir.resolve(output));
                }
            } catch (IllegalArgumentException e) {
                // includes InvalidPathException: not a local file (e.g. a platform URL), nothing to read here
            }
        }
        return paths;
    }

    private static Set<Path> candidates(JobView job, Path outputDir) {
        Set<Path> candidates = new LinkedHashSet<>();
        outputPaths(job, outputDir).stream()
                .filter(p -> p.getFileName() != null && p.getFileName().toString().equals(NAME))
                .forEach(candidates::add);
        candidates.add(outputDir.resolve(NAME));
        return candidates;
    }
}
