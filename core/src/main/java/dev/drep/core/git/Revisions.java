package dev.drep.core.git;

import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;

/**
 * Resolves what a review compares. Head defaults to {@code HEAD}; base defaults to the merge-base of
 * head with the default branch, and to head's parent when that merge-base is head itself (head is on
 * the default branch) or there is none.
 */
public final class Revisions {
    private static final List<String> DEFAULT_BRANCH_CANDIDATES = List.of(
            "refs/remotes/origin/HEAD", "refs/heads/main", "refs/heads/master", "refs/remotes/origin/main",
            "refs/remotes/origin/master");

    private Revisions() {
    }

    /**
     * @param base a revision expression or null for the default
     * @param head a revision expression or null for {@code HEAD}
     * @throws RepositoryProblem naming an unknown revision
     */
    public static RevisionRange resolve(Repository repository, String base, String head) {
        String headExpr = head == null || head.isBlank() ? Constants.HEAD : head.trim();
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit headCommit = walk.parseCommit(commitId(repository, headExpr));
            if (base != null && !base.isBlank()) {
                RevCommit baseCommit = walk.parseCommit(commitId(repository, base.trim()));
                return new RevisionRange(baseCommit.getName(), headCommit.getName());
            }
            RevCommit mergeBase = mergeBaseWithDefaultBranch(repository, walk, headCommit);
            if (mergeBase != null && !mergeBase.equals(headCommit)) {
                return new RevisionRange(mergeBase.getName(), headCommit.getName());
            }
            String parent = headCommit.getParentCount() > 0 ? headCommit.getParent(0).getName() : null;
            return new RevisionRange(parent, headCommit.getName());
        } catch (IOException e) {
            throw new RepositoryProblem("could not read commits of " + repository.getDirectory() + ": " + e.getMessage(), e);
        }
    }

    private static ObjectId commitId(Repository repository, String expression) throws IOException {
        ObjectId id;
        try {
            id = repository.resolve(expression + "^{commit}");
        } catch (RuntimeException e) {
            throw new RepositoryProblem("'" + expression + "' is not a valid revision: " + e.getMessage(), e);
        }
        if (id == null) {
            throw new RepositoryProblem("unknown revision '" + expression + "': no commit, branch or tag of that name in "
                    + repository.getDirectory());
        }
        return id;
    }

    private static RevCommit mergeBaseWithDefaultBranch(Repository repository, RevWalk walk, RevCommit head)
            throws IOException {
        Ref defaultBranch = null;
        for (String candidate : DEFAULT_BRANCH_CANDIDATES) {
            defaultBranch = repository.exactRef(candidate);
            if (defaultBranch != null && defaultBranch.getObjectId() != null) {
                break;
            }
            defaultBranch = null;
        }
        if (defaultBranch == null) {
            return null;
        }
        walk.reset();
        walk.setRevFilter(RevFilter.MERGE_BASE);
        walk.markStart(walk.parseCommit(defaultBranch.getObjectId()));
        walk.markStart(walk.parseCommit(head));
        RevCommit mergeBase = walk.next();
        walk.reset();
        walk.setRevFilter(RevFilter.ALL);
        return mergeBase;
    }
}
