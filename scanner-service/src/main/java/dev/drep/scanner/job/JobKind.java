package dev.drep.scanner.job;

/** What a job reviews, and so how it is planned and where its review goes. */
public enum JobKind {
    /** base..head of a git repository on the scanner's disk; review files in an output folder */
    LOCAL,
    /** a pull (merge) request of a registered repository; a review posted on it */
    PULL_REQUEST,
    /** the default branch of a registered repository since the last scan; issues opened for what is found */
    SCAN
}
