package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * One piece of analysis work, published by the scanner on {@link Addresses#ANALYSIS_REQUESTS}.
 *
 * @param unitId     unique id; analyzers and the publisher are idempotent on it
 * @param jobId      the job this unit belongs to
 * @param repository the repository's display name
 * @param analyzer   which analyzer runs it, e.g. {@code markdown}
 * @param files      the files to analyse
 * @param priority   {@code interactive} (a pull request someone waits for) or {@code batch} (a scan)
 * @param enqueuedAt when the scanner sent it (the start of its queue wait), or null
 * @param llmTokenCeiling the repository's own LLM token ceiling for the whole job ({@code max-llm-tokens}
 *                   in {@code .drep.yaml}), or null for none; analyzers apply the lower of it and their own
 * @param verify     what the verifier does with the model's findings ({@code verify} in {@code .drep.yaml});
 *                   {@link VerifyMode#FOLD} when absent (units sent before the setting existed)
 * @param freshAnalysis true when the job asked for a review that ignores the caches ({@code /drep review}): the
 *                   analyzer looks nothing up in its analysis cache and asks the gateway to bypass its own (fresh
 *                   answers are still stored); false (and absent in JSON from older scanners) otherwise
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkUnit(String unitId, String jobId, String repository, String analyzer, List<FileToAnalyze> files,
        String priority, Instant enqueuedAt, Long llmTokenCeiling, VerifyMode verify, boolean freshAnalysis) {
    public static final String INTERACTIVE = "interactive";
    public static final String BATCH = "batch";

    public WorkUnit {
        files = files == null ? List.of() : List.copyOf(files);
        priority = priority == null ? INTERACTIVE : priority;
        verify = verify == null ? VerifyMode.FOLD : verify;
    }

    /** A unit with the default verifier mode that may use the caches. */
    public WorkUnit(String unitId, String jobId, String repository, String analyzer, List<FileToAnalyze> files,
            String priority, Instant enqueuedAt, Long llmTokenCeiling) {
        this(unitId, jobId, repository, analyzer, files, priority, enqueuedAt, llmTokenCeiling, null, false);
    }

    /** A unit without a repository token ceiling. */
    public WorkUnit(String unitId, String jobId, String repository, String analyzer, List<FileToAnalyze> files,
            String priority, Instant enqueuedAt) {
        this(unitId, jobId, repository, analyzer, files, priority, enqueuedAt, null);
    }

    /** An interactive unit. */
    public WorkUnit(String unitId, String jobId, String repository, String analyzer, List<FileToAnalyze> files) {
        this(unitId, jobId, repository, analyzer, files, INTERACTIVE, null, null, null, false);
    }

    /** A unit not yet sent. */
    public WorkUnit(String unitId, String jobId, String repository, String analyzer, List<FileToAnalyze> files,
            String priority) {
        this(unitId, jobId, repository, analyzer, files, priority, null, null, null, false);
    }

    /** A unit not yet sent, with the repository's token ceiling (null for none). */
    public WorkUnit(String unitId, String jobId, String repository, String analyzer, List<FileToAnalyze> files,
            String priority, Long llmTokenCeiling) {
        this(unitId, jobId, repository, analyzer, files, priority, null, llmTokenCeiling, null, false);
    }

    /** A unit not yet sent, with the repository's token ceiling (null for none) and verifier mode. */
    public WorkUnit(String unitId, String jobId, String repository, String analyzer, List<FileToAnalyze> files,
            String priority, Long llmTokenCeiling, VerifyMode verify) {
        this(unitId, jobId, repository, analyzer, files, priority, null, llmTokenCeiling, verify, false);
    }

    /** @return this unit stamped with the time it is sent */
    public WorkUnit sentAt(Instant when) {
        return new WorkUnit(unitId, jobId, repository, analyzer, files, priority, when, llmTokenCeiling, verify,
                freshAnalysis);
    }

    /** @return this unit with other files (the same unit, its contents read) */
    public WorkUnit withFiles(List<FileToAnalyze> otherFiles) {
        return new WorkUnit(unitId, jobId, repository, analyzer, otherFiles, priority, enqueuedAt, llmTokenCeiling,
                verify, freshAnalysis);
    }

    /** @return this unit, asking for an analysis that ignores the caches */
    public WorkUnit withFreshAnalysis() {
        return new WorkUnit(unitId, jobId, repository, analyzer, files, priority, enqueuedAt, llmTokenCeiling, verify,
                true);
    }
}
