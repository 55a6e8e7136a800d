package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How a review is posted, from the repository's configuration ({@code .drep.yaml} on the base branch)
 * or the defaults.
 *
 * @param minimumSeverity   findings below this are not posted inline (they still count in the summary)
 * @param maxInlineComments at most this many inline comments per review; the rest are listed in the summary
 * @param failOn            the commit status / check fails when a finding is at or above this
 * @param onIncomplete      the check while a changed file is not analysed; absent (older scanners) means
 *                          {@link OnIncomplete#FAILURE}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PublishSettings(Severity minimumSeverity, int maxInlineComments, Severity failOn,
        OnIncomplete onIncomplete) {
    /** The defaults: post everything, at most 50 inline comments, fail on errors and on incomplete reviews. */
    public static final PublishSettings DEFAULTS = new PublishSettings(Severity.INFO, 50, Severity.ERROR);

    public PublishSettings {
        onIncomplete = onIncomplete == null ? OnIncomplete.FAILURE : onIncomplete;
    }

    /** Settings that fail the check of an incomplete review. */
    public PublishSettings(Severity minimumSeverity, int maxInlineComments, Severity failOn) {
        this(minimumSeverity, maxInlineComments, failOn, OnIncomplete.FAILURE);
    }
}
