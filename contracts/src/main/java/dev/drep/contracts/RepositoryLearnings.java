package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What drep learned from feedback on one repository's pull requests (docs/architecture.md, "Learning from feedback"),
 * kept by the review-publisher and shown by the scanner at {@code GET /api/repositories/{id}/learnings}.
 *
 * @param learnings every piece of feedback, newest first
 * @param rules     per rule: how often it was rejected, and whether drep stopped commenting on it inline there
 * @param suppressAfter a rule (or a message) rejected on this many findings is suppressed
 * @param messages  per recurring message (rejected on two or more findings): how often, and whether drep stopped
 *                  commenting on it inline there; empty when read from a publisher that does not count messages
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RepositoryLearnings(List<Learning> learnings, List<RuleTally> rules, int suppressAfter,
        List<MessageTally> messages) {
    public RepositoryLearnings {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }

    /** Learnings without message tallies. */
    public RepositoryLearnings(List<Learning> learnings, List<RuleTally> rules, int suppressAfter) {
        this(learnings, rules, suppressAfter, List.of());
    }

    /**
     * @param message    the message's key: its text in lower case, code spans as {@code `…`}, numbers as {@code 0}
     * @param rejected   findings with this message rejected in the repository (each finding counted once)
     * @param suppressed whether drep no longer comments on findings with this message inline there
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MessageTally(String message, int rejected, boolean suppressed) {
    }

    /**
     * One piece of feedback on one of drep's findings.
     *
     * @param id          the learning's id (for {@code DELETE .../learnings/{id}})
     * @param rule        the finding's rule, or null when drep's comment did not name it
     * @param fingerprint the finding's fingerprint
     * @param kind        {@code justified} (a reply explained why the code is right) or {@code reaction} (a 👎 on drep's comment)
     * @param pullRequest the pull request number
     * @param author      who gave the feedback
     * @param reason      what they wrote (data, as written)
     * @param recordedAt  when, ISO-8601
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Learning(String id, String rule, String fingerprint, String kind, int pullRequest, String author,
            String reason, String recordedAt) {
    }

    /**
     * @param rule       the rule
     * @param rejected   its findings rejected in the repository (each finding counted once)
     * @param suppressed whether drep no longer comments on it inline there
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RuleTally(String rule, int rejected, boolean suppressed) {
    }
}
