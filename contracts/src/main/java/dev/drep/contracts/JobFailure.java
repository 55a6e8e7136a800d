package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A job the scanner ended as FAILED without the publisher (its deadline passed), sent to the review-publisher
 * (internal REST, {@code PUT /internal/jobs/{jobId}/failure}) so that it reports the failure where the review would
 * have gone: a failed commit status on the pull request.
 *
 * @param jobId  the job
 * @param reason why it failed, e.g. {@code did not finish within 30m: analysing, 3 of 10 work units done}
 * @param target where the review would have been published (the publisher may never have received the job's plan)
 * @param head   the commit the review was of
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobFailure(String jobId, String reason, ReviewTarget target, String head) {
}
