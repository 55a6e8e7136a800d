package dev.drep.publisher.platform;

/** drep's verdict on a head commit, as a commit status or check run. */
public enum CommitState {
    /** the review is under way */
    PENDING,
    /** reviewed completely, nothing at or above the failing severity */
    SUCCESS,
    /** findings at or above the failing severity, or the review could not be completed */
    FAILURE,
    /**
     * the review could not be completed and the repository chose not to block on that ({@code on-incomplete:
     * neutral}): a GitHub check run's {@code neutral}, Gitea's {@code warning}; GitLab and GitHub's commit
     * status API have no such state and get {@code success} with a description that says the review is incomplete
     */
    NEUTRAL
}
