package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How a review is posted, from the repository's configuration ({@code .drep.yaml} on the base branch)
 * or the defaults.
 *
 * @param minimumSeverity    findings below this are not posted inline (they still count in the summary)
 * @param maxInlineComments  at most this many inline comments per review; the rest are listed in the summary
 * @param failOn             the commit status / check fails when a finding is at or above this
 * @param onIncomplete       the check while a changed file is not analysed; absent (older scanners) means
 *                           {@link OnIncomplete#FAILURE}
 * @param maxCommentsPerFile at most this many inline comments on one file per review; the rest are listed in the
 *                           summary. Absent (older scanners) means {@link #DEFAULT_MAX_COMMENTS_PER_FILE}
 * @param suppressRules      rules whose findings are not commented on inline (listed in the summary instead):
 *                           {@code .drep.yaml} {@code suppress-rules}; absent means none
 * @param describe           where the walkthrough goes ({@code describe}); absent (older scanners) means
 *                           {@link DescribeMode#SUMMARY}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PublishSettings(Severity minimumSeverity, int maxInlineComments, Severity failOn,
        OnIncomplete onIncomplete, Integer maxCommentsPerFile, java.util.List<String> suppressRules,
        DescribeMode describe) {
    /** Inline comments on one file per review unless {@code .drep.yaml} says otherwise. */
    public static final int DEFAULT_MAX_COMMENTS_PER_FILE = 10;

    /** The defaults: post everything, at most 50 inline comments (10 per file), fail on errors and on incomplete reviews. */
    public static final PublishSettings DEFAULTS = new PublishSettings(Severity.INFO, 50, Severity.ERROR);

    public PublishSettings {
        onIncomplete = onIncomplete == null ? OnIncomplete.FAILURE : onIncomplete;
        maxCommentsPerFile = maxCommentsPerFile == null ? DEFAULT_MAX_COMMENTS_PER_FILE : maxCommentsPerFile;
        suppressRules = suppressRules == null ? java.util.List.of() : java.util.List.copyOf(suppressRules);
        describe = describe == null ? DescribeMode.SUMMARY : describe;
    }

    /** Settings that suppress no rule, with the walkthrough in the summary. */
    public PublishSettings(Severity minimumSeverity, int maxInlineComments, Severity failOn, OnIncomplete onIncomplete,
            Integer maxCommentsPerFile) {
        this(minimumSeverity, maxInlineComments, failOn, onIncomplete, maxCommentsPerFile, null, null);
    }

    /** Settings with the walkthrough in the summary. */
    public PublishSettings(Severity minimumSeverity, int maxInlineComments, Severity failOn, OnIncomplete onIncomplete,
            Integer maxCommentsPerFile, java.util.List<String> suppressRules) {
        this(minimumSeverity, maxInlineComments, failOn, onIncomplete, maxCommentsPerFile, suppressRules, null);
    }

    /** @return these settings with the walkthrough going to {@code mode} */
    public PublishSettings describing(DescribeMode mode) {
        return new PublishSettings(minimumSeverity, maxInlineComments, failOn, onIncomplete, maxCommentsPerFile,
                suppressRules, mode);
    }

    /** Settings with the default cap per file. */
    public PublishSettings(Severity minimumSeverity, int maxInlineComments, Severity failOn, OnIncomplete onIncomplete) {
        this(minimumSeverity, maxInlineComments, failOn, onIncomplete, null, null);
    }

    /** Settings that fail the check of an incomplete review, with the default cap per file. */
    public PublishSettings(Severity minimumSeverity, int maxInlineComments, Severity failOn) {
        this(minimumSeverity, maxInlineComments, failOn, OnIncomplete.FAILURE);
    }
}
