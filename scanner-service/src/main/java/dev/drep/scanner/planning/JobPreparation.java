package dev.drep.scanner.planning;

import dev.drep.contracts.DescribeMode;
import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.WorkUnit;
import dev.drep.core.git.LocalRepositories;
import dev.drep.core.git.RepositoryProblem;
import dev.drep.core.git.ChangeListing;
import dev.drep.core.git.RevisionRange;
import dev.drep.core.git.UnifiedDiffs;
import dev.drep.core.describe.WalkthroughTask;
import dev.drep.core.platform.Platform;
import dev.drep.scanner.ScannerConfig;
import dev.drep.scanner.config.LoadedConfiguration;
import dev.drep.scanner.config.RepositoryConfigurationReader;
import dev.drep.scanner.fetch.FetchProblem;
import dev.drep.scanner.fetch.PlatformRefs;
import dev.drep.scanner.fetch.RepositoryMirrors;
import dev.drep.scanner.incremental.IncrementalSelection;
import dev.drep.scanner.repository.RepositorySnapshot;
import dev.drep.scanner.reservation.ReservationReview;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;

/**
 * The blocking, git side of planning (run on a worker thread): opens or fetches the repository, reads
 * {@code .drep.yaml} and the {@code .gitignore} files from the trusted commit (a pull request's base
 * branch, a scan's branch, a local review's base), picks the files to analyse and packs the work units.
 */
@ApplicationScoped
public class JobPreparation {
    private final WorkPlanner planner;
    private final ScannerConfig.Describe describe;
    private final IgnoreRulesSource ignoreRules;
    private final RepositoryMirrors mirrors;
    private final ReservationReview reservations;
    private final RepositoryConfigurationReader configurations = new RepositoryConfigurationReader(AnalyzerRouting.KNOWN);

    public JobPreparation(ScannerConfig config, IgnoreRulesSource ignoreRules, RepositoryMirrors mirrors,
            ReservationReview reservations) {
        this.describe = config.describe();
        this.planner = new WorkPlanner(config.maxFileBytes(), config.filesPerUnit(), config.llmFilesPerUnit(),
                config.jobLimits().maxFiles(), config.jobLimits().maxBytes().asLongValue());
        this.ignoreRules = ignoreRules;
        this.mirrors = mirrors;
        this.reservations = reservations;
    }

    /** @param deadline when the planning must stop (checked between files) */
    PreparedPlan prepare(PlanningInput job, PlanningDeadline deadline) {
        return switch (job.kind()) {
            case LOCAL -> local(job, deadline);
            case PULL_REQUEST -> pullRequest(job, deadline);
            case SCAN -> scan(job, deadline);
        };
    }

    private PreparedPlan local(PlanningInput job, PlanningDeadline deadline) {
        String display = Path.of(job.repository()).getFileName().toString();
        RevisionRange range = new RevisionRange(job.baseRevision(), job.headCommit());
        try (Repository git = LocalRepositories.open(Path.of(job.repository()))) {
            LoadedConfiguration config = configurations.read(git, range.base());
            PlannedWork work = planner.plan(git, range, rules(git, range.base(), config, null, WorkUnit.INTERACTIVE, false),
                    job.jobId().toString(), display, deadline);
            JobPlan plan = reservations.addToLocalReview(
                    plan(job, display, range, work, ReviewTarget.local(job.outputDir()), config, List.of()), git);
            return new PreparedPlan(plan, work.units(), range.base(), range.head(), null, null, null,
                    new UnitContents(planner, () -> LocalRepositories.open(Path.of(job.repository()))));
        }
    }

    private PreparedPlan pullRequest(PlanningInput job, PlanningDeadline deadline) {
        RepositorySnapshot repo = registered(job);
        int number = job.number();
        String headRef = PlatformRefs.pullRequestHead(repo.platform(), number);
        try (Repository git = mirrors.fetch(repo, List.of(PlatformRefs.branch(job.baseRef()), headRef))) {
            String head = job.headCommit();
            require(git, head, "the pull request's head commit " + head + " is not in " + headRef
                    + " (force-pushed since the event?); the event for the new head reviews it");
            String baseTip = job.baseRevision() != null && has(git, job.baseRevision()) ? job.baseRevision()
                    : tip(git, PlatformRefs.branch(job.baseRef()));
            String mergeBase = mergeBase(git, baseTip, head);
            String start = repo.platform() == Platform.GITLAB ? baseTip : mergeBase;
            if (head.equals(job.previous()) && !job.describeBody()) {
                return PreparedPlan.nothingToDo(mergeBase, head, "already reviewed at " + head + ": no new commits");
            }
            RevisionRange range = new RevisionRange(mergeBase, head);
            if (range.isEmpty()) {
                return PreparedPlan.nothingToDo(mergeBase, head, "nothing to review: the head " + head + " is already in "
                        + job.baseRef());
            }
            IncrementalSelection.Selection selection = IncrementalSelection.select(git, job.previous(), head,
                    job.notAnalysed());
            // the base branch, not the pull request, decides the configuration and the ignore rules
            LoadedConfiguration config = configurations.read(git, baseTip);
            PlanningRules rules = rules(git, baseTip, config, selection.selected(), WorkUnit.INTERACTIVE, false);
            PlannedWork work = planner.plan(git, range, rules, job.jobId().toString(), repo.fullName(), deadline);
            List<String> notes = new ArrayList<>();
            if (mergeBase == null) {
                notes.add("The pull request shares no history with " + job.baseRef() + ", so every file at its head was "
                        + "analysed as new.");
            }
            if (selection.note() != null) {
                notes.add(selection.note());
            }
            if (selection.selected() != null) {
                notes.add(incrementalNote(selection.previousHead(), work));
                String retried = retriedNote(job.notAnalysed(), work);
                if (retried != null) {
                    notes.add(retried);
                }
            }
            PullRequestRef ref = new PullRequestRef(repo.platform().id(), repo.apiUrl(), repo.fullName(), repo.projectId(),
                    number, mergeBase, start, head, repo.tokenRef());
            JobPlan plan = plan(job, repo.fullName(), range, work, ReviewTarget.pullRequest(ref), config, notes);
            if (selection.selected() != null) {
                plan = plan.incrementalSince(selection.previousHead(), work.carriedOver())
                        // follow-ups: an earlier finding is marked fixed only when a push changed its lines
                        .withChangesSincePrevious(ChangeListing.edits(git, new RevisionRange(selection.previousHead(),
                                head)));
            }
            plan = reservations.addToPullRequestReview(plan, git, job.author());
            List<WorkUnit> units = work.units();
            DescribeMode describe = job.describeBody() ? DescribeMode.BODY : plan.settings().describe();
            if (describe != DescribeMode.OFF) {
                deadline.check();
                // the walkthrough covers the whole pull request (base..head), not only what this push analyses
                WorkUnit describeUnit = describeUnit(git, range, rules, job, repo.fullName(), config);
                units = new ArrayList<>(units);
                units.add(describeUnit);
                List<String> unitIds = new ArrayList<>(plan.unitIds());
                unitIds.add(describeUnit.unitId());
                plan = plan.withUnits(unitIds, plan.settings().describing(describe));
            }
            return new PreparedPlan(plan, units, mergeBase, head, start, selection.previousHead(), null,
                    new UnitContents(planner, () -> mirrors.open(repo)));
        }
    }

    /**
     * The unit that asks for the walkthrough: every changed file not ignored, each with its unified diff as its
     * content (bounded per file and in total, {@code drep.scanner.describe.*}); files over the total are named only.
     */
    private WorkUnit describeUnit(Repository git, RevisionRange range, PlanningRules rules, PlanningInput job,
            String repository, LoadedConfiguration config) {
        List<FileToAnalyze> files = new ArrayList<>();
        for (UnifiedDiffs.FileDiff diff : UnifiedDiffs.of(git, range, rules.ignored(), describe.maxFileChars(),
                describe.maxChars(), describe.maxFiles())) {
            String text = diff.text() == null || !diff.cut() ? diff.text()
                    : diff.text() + "\n[the rest of this file's diff is left out]\n";
            files.add(new FileToAnalyze(diff.path(), null, text, List.of()));
        }
        String unitId = UUID.nameUUIDFromBytes((job.jobId() + "/" + WalkthroughTask.ID).getBytes(StandardCharsets.UTF_8))
                .toString();
        return new WorkUnit(unitId, job.jobId().toString(), repository, WalkthroughTask.ID, files, WorkUnit.INTERACTIVE,
                config.configuration().maxLlmTokens(), config.configuration().verify());
    }

    private PreparedPlan scan(PlanningInput job, PlanningDeadline deadline) {
        RepositorySnapshot repo = registered(job);
        String branchRef = PlatformRefs.branch(job.baseRef());
        try (Repository git = mirrors.fetch(repo, List.of(branchRef))) {
            String head = job.headCommit() != null ? job.headCommit() : tip(git, branchRef);
            require(git, head, "commit " + head + " is not on " + job.baseRef() + " any more (force-pushed?)");
            String previous = job.previous();
            List<String> notes = new ArrayList<>();
            if (previous != null && !(has(git, previous) && isAncestor(git, previous, head))) {
                notes.add("The last scanned commit " + IncrementalSelection.abbreviate(previous) + " is no longer on "
                        + job.baseRef() + ", so the whole branch was scanned.");
                previous = null;
            }
            if (head.equals(previous)) {
                return PreparedPlan.nothingToDo(previous, head, "nothing new since the last scan at " + head);
            }
            RevisionRange range = new RevisionRange(previous, head);
            // the scanned branch is the trusted one: its own configuration applies
            LoadedConfiguration config = configurations.read(git, head);
            PlannedWork work = planner.plan(git, range, rules(git, head, config, null, WorkUnit.BATCH, true),
                    job.jobId().toString(), repo.fullName(), deadline);
            PullRequestRef ref = new PullRequestRef(repo.platform().id(), repo.apiUrl(), repo.fullName(), repo.projectId(), 0,
                    previous, previous, head, repo.tokenRef());
            JobPlan plan = plan(job, repo.fullName(), range, work, new ReviewTarget(ReviewTarget.ISSUES, null, ref), config, notes);
            return new PreparedPlan(plan, work.units(), previous, head, null, null, null,
                    new UnitContents(planner, () -> mirrors.open(repo)));
        }
    }

    private PlanningRules rules(Repository git, String trustedCommit, LoadedConfiguration config,
            Set<String> selected, String priority, boolean wholeFiles) {
        return new PlanningRules(ignoreRules.forCommit(git, trustedCommit, config.configuration().ignore()), selected,
                config.configuration(), priority, wholeFiles);
    }

    private static JobPlan plan(PlanningInput job, String display, RevisionRange range, PlannedWork work, ReviewTarget target,
            LoadedConfiguration config, List<String> extraNotes) {
        List<String> notes = new ArrayList<>(config.notes());
        notes.addAll(extraNotes);
        return new JobPlan(job.jobId().toString(), display, range.base(), range.head(),
                work.units().stream().map(WorkUnit::unitId).toList(), work.notAnalyzed(), work.deleted(), target,
                config.configuration().publish(), notes, List.of())
                .analysing(work.units().stream().flatMap(u -> u.files().stream()).map(FileToAnalyze::path).distinct()
                        .toList())
                .withRenames(work.renamed());
    }

    private static String incrementalNote(String previousHead, PlannedWork work) {
        int analysed = work.units().stream().mapToInt(u -> u.files().size()).sum();
        return "Incremental review: " + analysed + (analysed == 1 ? " file" : " files") + " changed since the last review at "
                + IncrementalSelection.abbreviate(previousHead) + " analysed; " + work.carriedOver().size()
                + (work.carriedOver().size() == 1 ? " file" : " files") + " unchanged since then keep the earlier findings"
                + (work.carriedOver().isEmpty() ? "." : ": " + String.join(", ", work.carriedOver()) + ".");
    }

    /** Names the files the last review could not analyse that this one analyses again, or null when none. */
    private static String retriedNote(Set<String> notAnalysedBefore, PlannedWork work) {
        List<String> retried = work.units().stream().flatMap(u -> u.files().stream()).map(FileToAnalyze::path)
                .filter(notAnalysedBefore::contains).distinct().sorted().toList();
        if (retried.isEmpty()) {
            return null;
        }
        return retried.size() + (retried.size() == 1 ? " file" : " files") + " the last review could not analyse "
                + (retried.size() == 1 ? "is" : "are") + " analysed again: " + String.join(", ", retried) + ".";
    }

    private static RepositorySnapshot registered(PlanningInput job) {
        if (job.registered() == null) {
            throw new RepositoryProblem("the repository of this job is no longer registered");
        }
        return job.registered();
    }

    private static void require(Repository git, String commit, String problem) {
        if (commit == null || !has(git, commit)) {
            throw new FetchProblem(problem);
        }
    }

    private static boolean has(Repository git, String commit) {
        try {
            return ObjectId.isId(commit) && git.getObjectDatabase().has(ObjectId.fromString(commit));
        } catch (IOException e) {
            throw new RepositoryProblem("could not read the mirror: " + e.getMessage(), e);
        }
    }

    private static String tip(Repository git, String ref) {
        try {
            Ref found = git.exactRef(ref);
            if (found == null || found.getObjectId() == null) {
                throw new FetchProblem(ref + " was not fetched");
            }
            return found.getObjectId().name();
        } catch (IOException e) {
            throw new RepositoryProblem("could not read " + ref + ": " + e.getMessage(), e);
        }
    }

    /** @return the merge base of the target branch tip and the head (what the platform diffs from), or null */
    private static String mergeBase(Repository git, String baseTip, String head) {
        try (RevWalk walk = new RevWalk(git)) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(ObjectId.fromString(baseTip)));
            walk.markStart(walk.parseCommit(ObjectId.fromString(head)));
            RevCommit base = walk.next();
            return base == null ? null : base.name();
        } catch (IOException e) {
            throw new RepositoryProblem("could not find the merge base of " + baseTip + " and " + head + ": " + e.getMessage(), e);
        }
    }

    private static boolean isAncestor(Repository git, String ancestor, String descendant) {
        try (RevWalk walk = new RevWalk(git)) {
            return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(ancestor)), walk.parseCommit(ObjectId.fromString(descendant)));
        } catch (IOException e) {
            throw new RepositoryProblem("could not compare " + ancestor + " with " + descendant + ": " + e.getMessage(), e);
        }
    }
}
