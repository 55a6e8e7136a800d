package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * What the review-publisher must gather for a job, sent by the scanner (internal REST,
 * {@code PUT /internal/jobs/{jobId}}) before any of the job's units is published, so that the
 * publisher knows every job a result can belong to.
 *
 * @param jobId       the job
 * @param repository  display name of the repository
 * @param base        base commit id
 * @param head        head commit id
 * @param unitIds     ids of every unit published for the job
 * @param notAnalyzed files the scanner skipped (binary, too large, not UTF-8, ...), with the reason
 * @param deleted     paths deleted between base and head (recorded, not analysed)
 * @param target      where to publish the review
 * @param settings    how to post it (null means {@link PublishSettings#DEFAULTS})
 * @param notes       messages for the summary, e.g. why the repository configuration was ignored
 * @param findings    findings the scanner made itself (e.g. a change under another holder's exclusive
 *                    reservation); shown in the summary
 * @param previousHead an incremental pull request review: the head of the previous review, whose findings on the
 *                    carried-over files still hold; null when everything was analysed
 * @param carriedOver an incremental review: files changed in the pull request but not since the previous review,
 *                    so not analysed again; the publisher takes their findings from the previous review
 * @param analysed    the files the job's units analyse, each path once; a repository scan closes the issues of
 *                    findings in these files (and in {@code deleted}) that it no longer finds. Empty in plans of
 *                    older scanners, which therefore close nothing
 * @param renamed     files renamed between base and head: path at head → path at base (GitLab places a comment on
 *                    a renamed file by both paths)
 * @param changesSincePrevious an incremental pull request review: the files changed since {@code previousHead}
 *                    (path at that head → its edits, {@link LineEdit#WHOLE_FILE} for a file deleted or renamed since),
 *                    so that an earlier inline finding is marked fixed only when its lines changed; null when unknown
 *                    (no previous head, or a plan of an older scanner): then nothing is marked fixed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobPlan(String jobId, String repository, String base, String head, List<String> unitIds,
        List<NotAnalyzed> notAnalyzed, List<String> deleted, ReviewTarget target, PublishSettings settings,
        List<String> notes, List<Finding> findings, String previousHead, List<String> carriedOver,
        List<String> analysed, Map<String, String> renamed, Map<String, List<LineEdit>> changesSincePrevious) {
    public JobPlan {
        changesSincePrevious = changesSincePrevious == null ? null : Map.copyOf(changesSincePrevious);
        renamed = renamed == null ? Map.of() : Map.copyOf(renamed);
        analysed = analysed == null ? List.of() : List.copyOf(analysed);
        carriedOver = carriedOver == null ? List.of() : List.copyOf(carriedOver);
        unitIds = unitIds == null ? List.of() : List.copyOf(unitIds);
        notAnalyzed = notAnalyzed == null ? List.of() : List.copyOf(notAnalyzed);
        deleted = deleted == null ? List.of() : List.copyOf(deleted);
        settings = settings == null ? PublishSettings.DEFAULTS : settings;
        notes = notes == null ? List.of() : List.copyOf(notes);
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** A plan that does not say what changed since the previous review. */
    public JobPlan(String jobId, String repository, String base, String head, List<String> unitIds,
            List<NotAnalyzed> notAnalyzed, List<String> deleted, ReviewTarget target, PublishSettings settings,
            List<String> notes, List<Finding> findings, String previousHead, List<String> carriedOver,
            List<String> analysed, Map<String, String> renamed) {
        this(jobId, repository, base, head, unitIds, notAnalyzed, deleted, target, settings, notes, findings,
                previousHead, carriedOver, analysed, renamed, null);
    }

    /** A plan with default publish settings and no notes. */
    public JobPlan(String jobId, String repository, String base, String head, List<String> unitIds,
            List<NotAnalyzed> notAnalyzed, List<String> deleted, ReviewTarget target) {
        this(jobId, repository, base, head, unitIds, notAnalyzed, deleted, target, null, null, null);
    }

    /** A plan that analyses everything it names (not incremental). */
    public JobPlan(String jobId, String repository, String base, String head, List<String> unitIds,
            List<NotAnalyzed> notAnalyzed, List<String> deleted, ReviewTarget target, PublishSettings settings,
            List<String> notes, List<Finding> findings) {
        this(jobId, repository, base, head, unitIds, notAnalyzed, deleted, target, settings, notes, findings, null,
                null, null);
    }

    /** A plan that does not name the files it analyses. */
    public JobPlan(String jobId, String repository, String base, String head, List<String> unitIds,
            List<NotAnalyzed> notAnalyzed, List<String> deleted, ReviewTarget target, PublishSettings settings,
            List<String> notes, List<Finding> findings, String previousHead, List<String> carriedOver) {
        this(jobId, repository, base, head, unitIds, notAnalyzed, deleted, target, settings, notes, findings,
                previousHead, carriedOver, null);
    }

    /** A plan without renamed files. */
    public JobPlan(String jobId, String repository, String base, String head, List<String> unitIds,
            List<NotAnalyzed> notAnalyzed, List<String> deleted, ReviewTarget target, PublishSettings settings,
            List<String> notes, List<Finding> findings, String previousHead, List<String> carriedOver,
            List<String> analysed) {
        this(jobId, repository, base, head, unitIds, notAnalyzed, deleted, target, settings, notes, findings,
                previousHead, carriedOver, analysed, null);
    }

    /** @return this plan with other scanner findings and notes */
    public JobPlan withFindingsAndNotes(List<Finding> newFindings, List<String> newNotes) {
        return new JobPlan(jobId, repository, base, head, unitIds, notAnalyzed, deleted, target, settings, newNotes,
                newFindings, previousHead, carriedOver, analysed, renamed, changesSincePrevious);
    }

    /** @return this plan as an incremental review since {@code previous}, carrying {@code files} over */
    public JobPlan incrementalSince(String previous, List<String> files) {
        return new JobPlan(jobId, repository, base, head, unitIds, notAnalyzed, deleted, target, settings, notes,
                findings, previous, files, analysed, renamed, changesSincePrevious);
    }

    /** @return this plan naming {@code files} as the files its units analyse */
    public JobPlan analysing(List<String> files) {
        return new JobPlan(jobId, repository, base, head, unitIds, notAnalyzed, deleted, target, settings, notes,
                findings, previousHead, carriedOver, files, renamed, changesSincePrevious);
    }

    /** @return this plan with other unit ids and publish settings (a describe unit added) */
    public JobPlan withUnits(List<String> ids, PublishSettings otherSettings) {
        return new JobPlan(jobId, repository, base, head, ids, notAnalyzed, deleted, target, otherSettings, notes,
                findings, previousHead, carriedOver, analysed, renamed, changesSincePrevious);
    }

    /** @return this plan with {@code renames} (path at head → path at base) */
    public JobPlan withRenames(Map<String, String> renames) {
        return new JobPlan(jobId, repository, base, head, unitIds, notAnalyzed, deleted, target, settings, notes,
                findings, previousHead, carriedOver, analysed, renames, changesSincePrevious);
    }

    /** @return this plan with the files changed since the previous review and their edits (null: unknown) */
    public JobPlan withChangesSincePrevious(Map<String, List<LineEdit>> changes) {
        return new JobPlan(jobId, repository, base, head, unitIds, notAnalyzed, deleted, target, settings, notes,
                findings, previousHead, carriedOver, analysed, renamed, changes);
    }

    /** @return the path of {@code path} at base: the old name of a renamed file, else the path itself */
    public String pathAtBase(String path) {
        return renamed.getOrDefault(path, path);
    }
}
