package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Where a review is published.
 *
 * @param kind        {@link #LOCAL} (files in {@code outputDir}), {@link #PULL_REQUEST} (a review on
 *                    {@code pullRequest}) or {@link #ISSUES} (issues opened for a repository scan)
 * @param outputDir   for {@code local}: the folder receiving review.md, review.json and review.sarif
 * @param pullRequest for {@code pull-request} and {@code issues}: the platform, repository and token
 *                    reference (for issues, number is 0)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReviewTarget(String kind, String outputDir, PullRequestRef pullRequest) {
    public static final String LOCAL = "local";
    public static final String PULL_REQUEST = "pull-request";
    public static final String ISSUES = "issues";

    /** @return a local-files target writing into {@code outputDir} */
    public static ReviewTarget local(String outputDir) {
        return new ReviewTarget(LOCAL, outputDir, null);
    }

    /** @return a target posting a review on a pull request */
    public static ReviewTarget pullRequest(PullRequestRef pullRequest) {
        return new ReviewTarget(PULL_REQUEST, null, pullRequest);
    }
}
