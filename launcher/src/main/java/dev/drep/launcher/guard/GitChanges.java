package dev.drep.launcher.guard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * The paths a commit or a push touches, read with JGit: added, modified and deleted paths, and both names of a
 * rename (moving a reserved file away touches it as much as editing it).
 */
final class GitChanges {
    private static final String ZERO = ObjectId.zeroId().name();

    private GitChanges() {
    }

    /** One line of a pre-push hook's stdin: {@code <local ref> <local sha> <remote ref> <remote sha>}. */
    record PushedRef(String localRef, String localSha, String remoteRef, String remoteSha) {
        /** @return the line parsed, or null for a blank line */
        static PushedRef parse(String line) throws GuardException {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                return null;
            }
            String[] parts = trimmed.split("\\s+");
            if (parts.length != 4) {
                throw new GuardException("a pre-push line should read '<local ref> <local sha> <remote ref> <remote sha>',"
                        + " got '" + trimmed + "'");
            }
            return new PushedRef(parts[0], parts[1], parts[2], parts[3]);
        }

        boolean deletesRemoteRef() {
            return localSha.equals(ZERO);
        }
    }

    /** @return the paths staged for the next commit: the index against HEAD (or nothing, before the first commit) */
    static List<String> staged(Repository git, DirCache index) throws IOException {
        try (ObjectReader reader = git.newObjectReader()) {
            ObjectId headTree = git.resolve(Constants.HEAD + "^{tree}");
            AbstractTreeIterator head = headTree == null ? new EmptyTreeIterator()
                    : new CanonicalTreeParser(null, reader, headTree);
            return paths(git, head, new DirCacheIterator(index));
        }
    }

    /**
     * @return the paths touched by the commits a push sends: for each updated ref, the commits reachable from the
     *     local sha and neither from the remote sha (when this clone has it) nor from any of the remote's
     *     tracking refs, i.e. the commits the remote does not have yet as far as this clone knows
     * @param remote the remote's name as git passes it to the hook, or null (then every tracking ref counts)
     */
    static List<String> pushed(Repository git, List<PushedRef> refs, String remote) throws IOException {
        Set<String> paths = new LinkedHashSet<>();
        try (RevWalk walk = new RevWalk(git)) {
            for (PushedRef ref : refs) {
                if (ref.deletesRemoteRef()) {
                    continue;
                }
                walk.reset();
                walk.markStart(walk.parseCommit(ObjectId.fromString(ref.localSha())));
                RevCommit known = ref.remoteSha().equals(ZERO) ? null : commitIfPresent(walk, ref.remoteSha());
                if (known != null) {
                    walk.markUninteresting(known);
                }
                // commits the remote has on any branch were checked when they were pushed
                for (Ref tracking : trackingRefs(git, remote)) {
                    RevCommit tip = commitIfPresent(walk, tracking.getObjectId().name());
                    if (tip != null) {
                        walk.markUninteresting(tip);
                    }
                }
                List<RevCommit> commits = new ArrayList<>();
                for (RevCommit commit : walk) {
                    commits.add(commit);
                }
                for (RevCommit commit : commits) {
                    paths.addAll(introducedBy(git, walk, commit));
                }
            }
        }
        return List.copyOf(paths);
    }

    /**
     * Paths a commit introduces: against its parent; for a root commit every file; for a merge only the paths that
     * differ from every parent (what the merge itself changed), since each side's own commits are walked too.
     */
    private static Set<String> introducedBy(Repository git, RevWalk walk, RevCommit commit) throws IOException {
        ObjectReader reader = walk.getObjectReader();
        RevTree tree = walk.parseCommit(commit).getTree();
        if (commit.getParentCount() == 0) {
            return new LinkedHashSet<>(paths(git, new EmptyTreeIterator(), new CanonicalTreeParser(null, reader, tree)));
        }
        Set<String> common = null;
        for (RevCommit parent : commit.getParents()) {
            RevTree parentTree = walk.parseCommit(parent).getTree();
            Set<String> changed = new LinkedHashSet<>(paths(git, new CanonicalTreeParser(null, reader, parentTree),
                    new CanonicalTreeParser(null, reader, tree)));
            if (common == null) {
                common = changed;
            } else {
                common.retainAll(changed);
            }
        }
        return common;
    }

    private static List<String> paths(Repository git, AbstractTreeIterator from, AbstractTreeIterator to)
            throws IOException {
        try (DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(git);
            diff.setDetectRenames(true);
            Set<String> paths = new LinkedHashSet<>();
            for (DiffEntry entry : diff.scan(from, to)) {
                if (entry.getChangeType() != DiffEntry.ChangeType.ADD) {
                    paths.add(entry.getOldPath());
                }
                if (entry.getChangeType() != DiffEntry.ChangeType.DELETE) {
                    paths.add(entry.getNewPath());
                }
            }
            return List.copyOf(paths);
        }
    }

    private static RevCommit commitIfPresent(RevWalk walk, String sha) throws IOException {
        ObjectId id = ObjectId.fromString(sha);
        if (!walk.getObjectReader().has(id)) {
            return null;
        }
        try {
            return walk.parseCommit(id);
        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            return null; // a tag or tree: nothing to subtract
        }
    }

    private static List<Ref> trackingRefs(Repository git, String remote) throws IOException {
        String prefix = Constants.R_REMOTES + (remote == null || remote.isBlank() || remote.contains("/")
                || remote.contains(":") ? "" : remote + "/");
        List<Ref> refs = git.getRefDatabase().getRefsByPrefix(prefix);
        return refs.stream().filter(r -> r.getObjectId() != null).toList();
    }
}
