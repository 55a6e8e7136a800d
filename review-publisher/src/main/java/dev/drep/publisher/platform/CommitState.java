package dev.drep.publisher.platform;

/** drep's verdict on a head commit, as a commit status or check run. */
public enum CommitState {
    /** the review is under way */
    PENDING,
    /** reviewed completely, nothing at or above the failing severity */
    SUCCESS,
    /** findings at or above the failing severity, or the review could not be completed */
    FAILURE
}
