/**
 * Turning analysis results into a review: {@link dev.drep.core.review.ReviewComposer} merges a job's
 * {@link dev.drep.contracts.UnitResult}s into one {@link dev.drep.contracts.Review} (de-duplicated, sorted,
 * counted, with its markdown summary), and {@link dev.drep.core.review.ReviewRenderer} writes it as JSON,
 * markdown and SARIF 2.1.0. No Quarkus, no I/O: the review-publisher and the CLI call them directly.
 */
package dev.drep.core.review;
