package dev.drep.scanner.incremental;

import dev.drep.core.git.ChangeListing;
import dev.drep.core.git.ChangeType;
import dev.drep.core.git.ChangedFile;
import dev.drep.core.git.RepositoryProblem;
import dev.drep.core.git.RevisionRange;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.lib.Repository;

/**
 * Picks the files of a pull request to analyse again after a push: those changed between the last reviewed
 * head and the new head, and those the last review could not analyse (a refused or failed analysis is retried
 * by every push until it succeeds, changed or not). Everything else the pull request changes keeps its earlier
 * findings. The changed lines of the picked files still come from base..head, so inline positions refer to the
 * whole pull request.
 */
public final class IncrementalSelection {

    /**
     * @param selected    paths to analyse, or null for every changed path (first review, or history rewritten)
     * @param previousHead the head the selection is relative to, or null
     * @param note         for the review's summary, or null
     */
    public record Selection(Set<String> selected, String previousHead, String note) {
        /** Every changed file is analysed. */
        static final Selection ALL = new Selection(null, null, null);
    }

    private IncrementalSelection() {
    }

    /**
     * @param previousHead the head of the last finished review of the pull request, or null
     * @param head         the head to review now (not equal to {@code previousHead})
     * @param notAnalysed  the files the last review could not analyse: picked again even when unchanged
     */
    public static Selection select(Repository git, String previousHead, String head, Set<String> notAnalysed) {
        if (previousHead == null) {
            return Selection.ALL;
        }
        if (!isAncestor(git, previousHead, head)) {
            return new Selection(null, null, "The pull request's history was rewritten since the last review at "
                    + abbreviate(previousHead) + " (force push or rebase), so every changed file was analysed again.");
        }
        Set<String> changed = new HashSet<>();
        for (ChangedFile file : ChangeListing.list(git, new RevisionRange(previousHead, head))) {
            if (file.type() != ChangeType.DELETED) {
                changed.add(file.path());
            }
        }
        // a file deleted since is not in base..head and so never planned; the others are analysed again
        changed.addAll(notAnalysed);
        return new Selection(changed, previousHead, null);
    }

    private static boolean isAncestor(Repository git, String ancestor, String descendant) {
        try (RevWalk walk = new RevWalk(git)) {
            ObjectId id = ObjectId.fromString(ancestor);
            if (!git.getObjectDatabase().has(id)) {
                return false; // not in this mirror: unreachable from what was fetched, so rewritten away
            }
            RevCommit a = walk.parseCommit(id);
            RevCommit d = walk.parseCommit(ObjectId.fromString(descendant));
            return walk.isMergedInto(a, d);
        } catch (IOException e) {
            throw new RepositoryProblem("could not compare " + ancestor + " with " + descendant + ": " + e.getMessage(), e);
        }
    }

    /** @return the first 7 characters of a commit id */
    public static String abbreviate(String commit) {
        return commit == null || commit.length() <= 7 ? commit : commit.substring(0, 7);
    }
}
