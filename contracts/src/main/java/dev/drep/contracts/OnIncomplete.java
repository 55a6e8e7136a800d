package dev.drep.contracts;

/**
 * The check a pull request gets while its review is incomplete (a changed file was not analysed: an analyzer
 * refused or failed, a budget ran out), from {@code .drep.yaml} {@code on-incomplete}. Never success.
 */
public enum OnIncomplete {
    /** the check fails (the default): a required check blocks the merge until every file is analysed */
    FAILURE,
    /** the check ends neutral where the platform has such a state, so that it does not block the merge */
    NEUTRAL
}
