package dev.drep.contracts;

/**
 * Where a review is published.
 *
 * @param kind      {@code local} (files in {@code outputDir}); platforms come later
 * @param outputDir for {@code local}: the folder receiving review.md, review.json and review.sarif
 */
public record ReviewTarget(String kind, String outputDir) {
    public static final String LOCAL = "local";

    /** @return a local-files target writing into {@code outputDir} */
    public static ReviewTarget local(String outputDir) {
        return new ReviewTarget(LOCAL, outputDir);
    }
}
