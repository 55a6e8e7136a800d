package dev.drep.contracts;

/**
 * Where the walkthrough of a pull request goes ({@code .drep.yaml} {@code describe}): what the change does in a
 * few sentences and one line per changed file, written by a model.
 */
public enum DescribeMode {
    /** in drep's summary comment (the default) */
    SUMMARY,
    /** in the summary comment and in the pull request's description, between drep's markers */
    BODY,
    /** nowhere: no walkthrough is asked of the model */
    OFF
}
