package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How a review is posted, from the repository's configuration ({@code .drep.yaml} on the base branch)
 * or the defaults.
 *
 * @param minimumSeverity   findings below this are not posted inline (they still count in the summary)
 * @param maxInlineComments at most this many inline comments per review; the rest are listed in the summary
 * @param failOn            the commit status / check fails when a finding is at or above this
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PublishSettings(Severity minimumSeverity, int maxInlineComments, Severity failOn) {
    /** The defaults: post everything, at most 50 inline comments, fail on errors. */
    public static final PublishSettings DEFAULTS = new PublishSettings(Severity.INFO, 50, Severity.ERROR);
}
