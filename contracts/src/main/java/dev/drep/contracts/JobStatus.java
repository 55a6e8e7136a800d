package dev.drep.contracts;

/** Where a job is. {@link #DONE} and {@link #FAILED} are final. */
public enum JobStatus {
    /** accepted, not yet planned */
    QUEUED,
    /** work units published, waiting for analyzers */
    ANALYZING,
    /** every unit is in; the review is being composed and posted */
    PUBLISHING,
    /** the review was published */
    DONE,
    /** the review could not be done; {@code message} says why */
    FAILED;

    /** @return true for DONE and FAILED */
    public boolean isFinal() {
        return this == DONE || this == FAILED;
    }
}
