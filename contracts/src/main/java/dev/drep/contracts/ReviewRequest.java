package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Body of {@code POST /api/reviews} on the scanner: review the changes between two revisions.
 *
 * @param repository a local path to a git repository or a clone URL (required)
 * @param base       base revision; default the merge-base of head with the default branch, else head's parent
 * @param head       head revision; default {@code HEAD}
 * @param outputDir  folder for the local review files (required for local reviews)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReviewRequest(String repository, String base, String head, String outputDir) {
}
