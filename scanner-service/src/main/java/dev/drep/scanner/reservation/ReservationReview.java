package dev.drep.scanner.reservation;

import dev.drep.contracts.Finding;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.PathConflict;
import dev.drep.contracts.ReservationView;
import dev.drep.contracts.Severity;
import dev.drep.core.git.RepositoryKeys;
import dev.drep.core.git.RepositoryProblem;
import dev.drep.core.git.RevisionRange;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.util.io.DisabledOutputStream;
import org.jboss.logging.Logger;

/**
 * Reservations in a review: a change that touches paths under another holder's active exclusive reservation
 * gets a WARNING finding per path (rule {@value #RULE}, line 0: the whole file), which the planner passes in
 * {@code JobPlan.findings} so that it shows in the review summary. A change never conflicts with its author's
 * own reservations.
 */
@ApplicationScoped
public class ReservationReview {
    private static final Logger LOG = Logger.getLogger(ReservationReview.class);

    /** The rule id of reservation findings. */
    public static final String RULE = "reservation.conflict";

    private final ReservationService reservations;
    private final ReservationConfig config;

    public ReservationReview(ReservationService reservations, ReservationConfig config) {
        this.reservations = reservations;
        this.config = config;
    }

    /**
     * What a local review needs to ask about reservations, read from the repository.
     *
     * @param repository the reservation key ({@link RepositoryKeys#of})
     * @param author     the e-mail address (else the name) of the head commit's author: a local review has no
     *                   pull-request author
     * @param paths      every path the change touches: added, modified, deleted, and both names of a rename
     */
    public record LocalChange(String repository, String author, List<String> paths) {
    }

    /**
     * Reads the reservation key, the head commit's author and the changed paths of a local review. Blocking
     * (JGit): call it where the planner already reads the repository, on a worker thread.
     */
    public static LocalChange localChange(Repository git, RevisionRange range) {
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit head = walk.parseCommit(ObjectId.fromString(range.head()));
            PersonIdent author = head.getAuthorIdent();
            String identity = author.getEmailAddress() != null && !author.getEmailAddress().isBlank()
                    ? author.getEmailAddress() : author.getName();
            return new LocalChange(RepositoryKeys.of(git), identity, changedPaths(git, range));
        } catch (IOException e) {
            throw new RepositoryProblem("could not read " + range.head() + ": " + e.getMessage(), e);
        }
    }

    /** @return the paths changed between the range's commits, both names of renames, in diff order */
    public static List<String> changedPaths(Repository git, RevisionRange range) {
        if (range.isEmpty()) {
            return List.of();
        }
        try (ObjectReader reader = git.newObjectReader();
                DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(git);
            diff.setDetectRenames(true);
            Set<String> paths = new LinkedHashSet<>();
            for (DiffEntry entry : diff.scan(tree(git, reader, range.base()), tree(git, reader, range.head()))) {
                if (entry.getChangeType() != DiffEntry.ChangeType.ADD) {
                    paths.add(entry.getOldPath());
                }
                if (entry.getChangeType() != DiffEntry.ChangeType.DELETE) {
                    paths.add(entry.getNewPath());
                }
            }
            return List.copyOf(paths);
        } catch (IOException e) {
            throw new RepositoryProblem("could not diff " + range.base() + ".." + range.head() + ": " + e.getMessage(), e);
        }
    }

    private static AbstractTreeIterator tree(Repository git, ObjectReader reader, String commit) throws IOException {
        if (commit == null) {
            return new EmptyTreeIterator();
        }
        try (RevWalk walk = new RevWalk(reader)) {
            return new CanonicalTreeParser(null, reader, walk.parseCommit(ObjectId.fromString(commit)).getTree());
        }
    }

    /** Findings for a local review, from {@link #localChange}. */
    public Uni<List<Finding>> findings(LocalChange change) {
        return findings(change.repository(), change.author(), change.paths());
    }

    /**
     * Findings for changed paths that lie under another holder's active exclusive reservation.
     *
     * @param repository   the reservation key, e.g. {@code acme/docs}
     * @param author       the change's author as reservations name holders (a pull request's author, or the head
     *                     commit's author for a local review); null or blank when unknown, then every exclusive
     *                     reservation counts
     * @param changedPaths the paths the change touches
     * @return WARNING findings, grouped by reservation, at most {@code drep.reservations.max-findings-per-reservation}
     *     paths each plus one finding counting the rest
     */
    public Uni<List<Finding>> findings(String repository, String author, List<String> changedPaths) {
        if (repository == null || repository.isBlank() || changedPaths == null || changedPaths.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String holder = author == null || author.isBlank() ? null : author.strip();
        return reservations.conflicts(repository, holder, changedPaths, false).map(this::toFindings);
    }

    /**
     * What the planner puts into the job plan: findings, and a note when reservations could not be checked.
     *
     * @param findings for {@code JobPlan.findings}
     * @param notes    for {@code JobPlan.notes}
     */
    public record Checked(List<Finding> findings, List<String> notes) {
    }

    /**
     * Blocking form of {@link #findings(String, String, List)} for the planner, which prepares a job on a worker
     * thread. Reservations are advisory, so this never fails a review: when they cannot be checked in time the
     * answer has no findings and a note saying so.
     */
    public Checked check(String repository, String author, List<String> changedPaths, Duration timeout) {
        try {
            return new Checked(findings(repository, author, changedPaths).await().atMost(timeout), List.of());
        } catch (RuntimeException e) {
            LOG.warnf("file reservations of %s could not be checked: %s", repository, e.toString());
            return new Checked(List.of(), List.of("File reservations could not be checked (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); changes under other people's"
                    + " reservations are not flagged in this review."));
        }
    }

    /**
     * For the planner: a local review's plan with the reservation findings (and a note when reservations could
     * not be checked) added. The identity is the head commit's author, the key the repository's
     * ({@link RepositoryKeys}). Blocking (JGit, and waits for the database): call it on a worker thread.
     *
     * @param plan the plan as prepared
     * @param git  the local repository
     */
    public JobPlan addToLocalReview(JobPlan plan, Repository git) {
        Checked checked;
        try {
            LocalChange change = localChange(git, new RevisionRange(plan.base(), plan.head()));
            checked = check(change.repository(), change.author(), change.paths(), config.reviewTimeout());
        } catch (RuntimeException e) {
            checked = unchecked(plan.repository(), e);
        }
        return withChecked(plan, checked);
    }

    /**
     * For the planner: a pull request review's plan with the reservation findings added. The key is the
     * repository's full name on its platform, the identity the pull request's author (their own reservations never
     * conflict; unknown, every exclusive reservation counts). Blocking: call it on a worker thread.
     *
     * @param plan   the plan as prepared (base..head is what the pull request changes)
     * @param git    the mirror, with both commits
     * @param author the pull request author's login, or null
     */
    public JobPlan addToPullRequestReview(JobPlan plan, Repository git, String author) {
        Checked checked;
        try {
            checked = check(plan.repository(), author, changedPaths(git, new RevisionRange(plan.base(), plan.head())),
                    config.reviewTimeout());
        } catch (RuntimeException e) {
            checked = unchecked(plan.repository(), e);
        }
        return withChecked(plan, checked);
    }

    private static Checked unchecked(String repository, RuntimeException e) {
        LOG.warnf("file reservations of %s could not be checked: %s", repository, e.toString());
        return new Checked(List.of(), List.of("File reservations could not be checked (" + e.getMessage()
                + "); changes under other people's reservations are not flagged in this review."));
    }

    private static JobPlan withChecked(JobPlan plan, Checked checked) {
        if (checked.findings().isEmpty() && checked.notes().isEmpty()) {
            return plan;
        }
        List<Finding> findings = new ArrayList<>(plan.findings());
        findings.addAll(checked.findings());
        List<String> notes = new ArrayList<>(plan.notes());
        notes.addAll(checked.notes());
        return plan.withFindingsAndNotes(findings, notes);
    }

    private List<Finding> toFindings(List<PathConflict> conflicts) {
        Map<String, List<PathConflict>> byReservation = new LinkedHashMap<>();
        for (PathConflict conflict : conflicts) {
            byReservation.computeIfAbsent(conflict.reservation().id(), id -> new ArrayList<>()).add(conflict);
        }
        int limit = Math.max(1, config.maxFindingsPerReservation());
        List<Finding> findings = new ArrayList<>();
        for (List<PathConflict> group : byReservation.values()) {
            for (int i = 0; i < Math.min(limit, group.size()); i++) {
                PathConflict conflict = group.get(i);
                findings.add(finding(conflict.path(), describe(conflict.path(), conflict.reservation())));
            }
            if (group.size() > limit) {
                PathConflict next = group.get(limit);
                findings.add(finding(next.path(), "and " + (group.size() - limit) + " more changed files, starting with "
                        + next.path() + ", are under the same reservation: " + holderText(next.reservation())));
            }
        }
        return findings;
    }

    private static Finding finding(String path, String message) {
        return new Finding(RULE, path, 0, Severity.WARNING, message, null);
    }

    private static String describe(String path, ReservationView reservation) {
        return path + " is under " + holderText(reservation);
    }

    private static String holderText(ReservationView reservation) {
        return "an exclusive reservation of " + reservation.holder() + " (pattern \"" + reservation.pattern()
                + "\", reason: " + (reservation.reason() == null ? "none given" : reservation.reason())
                + ", expires " + reservation.expiresAt().truncatedTo(ChronoUnit.SECONDS) + "); coordinate with "
                + reservation.holder() + " before merging";
    }
}
