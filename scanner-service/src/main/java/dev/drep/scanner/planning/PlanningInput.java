package dev.drep.scanner.planning;

import dev.drep.scanner.job.Job;
import dev.drep.scanner.job.JobKind;
import dev.drep.scanner.repository.RepositorySnapshot;
import java.util.Set;
import java.util.UUID;

/**
 * Everything planning a job needs from the database, copied out of the session so that the git work can
 * run on a worker thread.
 *
 * @param jobId        the job
 * @param kind         what it reviews
 * @param repository   local form: the path; otherwise the registered full name
 * @param baseRevision local form: the base commit; pull request: the target branch tip reported, or null
 * @param headCommit   the head commit, or null for a scan of the branch tip
 * @param outputDir    local form: where the review files go
 * @param number       pull request number, or null
 * @param baseRef      pull request: target branch; scan: the branch scanned
 * @param registered   the registered repository, or null for the local form
 * @param previous     pull request: the last reviewed head; scan: the last scanned commit (null for a full scan)
 * @param author       pull request: the author's login, or null
 * @param notAnalysed  pull request: the files the last review could not analyse (analysed again whether or not
 *                     they changed); empty otherwise
 * @param freshAnalysis the units ask the analyzers to ignore the caches ({@code /drep review})
 * @param describeBody  the walkthrough goes into the description, and a head reviewed before is reviewed again
 *                      ({@code /drep describe})
 */
record PlanningInput(UUID jobId, JobKind kind, String repository, String baseRevision, String headCommit,
        String outputDir, Integer number, String baseRef, RepositorySnapshot registered, String previous,
        String author, Set<String> notAnalysed, boolean freshAnalysis, boolean describeBody) {

    PlanningInput {
        notAnalysed = notAnalysed == null ? Set.of() : Set.copyOf(notAnalysed);
    }

    static PlanningInput of(Job job, RepositorySnapshot registered, String previous) {
        return of(job, registered, previous, Set.of());
    }

    static PlanningInput of(Job job, RepositorySnapshot registered, String previous, Set<String> notAnalysed) {
        String base = job.kind == JobKind.LOCAL ? job.baseCommit : job.baseRevision;
        return new PlanningInput(job.id, job.kind, job.repository, base, job.headCommit, job.outputDir,
                job.pullRequestNumber, job.baseRef, registered, previous, job.author, notAnalysed, job.freshAnalysis,
                job.describeBody);
    }
}
