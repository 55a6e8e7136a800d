package dev.drep.core.git;

import dev.drep.contracts.LineRange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * Lists the files changed between two commits in-process with JGit, with rename detection and the
 * added or changed line ranges of each head file (from the diff's edit list, no text output).
 */
public final class ChangeListing {
    private ChangeListing() {
    }

    /**
     * @param range base (null = empty tree) and head commit ids
     * @return the changed files in path order
     */
    public static List<ChangedFile> list(Repository repository, RevisionRange range) {
        if (range.isEmpty()) {
            return List.of();
        }
        try (ObjectReader reader = repository.newObjectReader();
                DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repository);
            diff.setDiffComparator(RawTextComparator.DEFAULT);
            diff.setDetectRenames(true);
            List<DiffEntry> entries = diff.scan(tree(repository, reader, range.base()), tree(repository, reader, range.head()));
            List<ChangedFile> files = new ArrayList<>(entries.size());
            for (DiffEntry entry : entries) {
                files.add(toChangedFile(diff, entry));
            }
            return files;
        } catch (IOException e) {
            throw new RepositoryProblem("could not diff " + range.base() + ".." + range.head() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Lists only the paths that differ (renames detected, head names for renames), without reading any
     * file content: the in-process equivalent of {@code git diff --name-only}.
     */
    public static List<String> listPaths(Repository repository, RevisionRange range) {
        if (range.isEmpty()) {
            return List.of();
        }
        try (ObjectReader reader = repository.newObjectReader();
                DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repository);
            diff.setDetectRenames(true);
            List<DiffEntry> entries = diff.scan(tree(repository, reader, range.base()), tree(repository, reader, range.head()));
            List<String> paths = new ArrayList<>(entries.size());
            for (DiffEntry entry : entries) {
                paths.add(entry.getChangeType() == DiffEntry.ChangeType.DELETE ? entry.getOldPath() : entry.getNewPath());
            }
            return paths;
        } catch (IOException e) {
            throw new RepositoryProblem("could not diff " + range.base() + ".." + range.head() + ": " + e.getMessage(), e);
        }
    }

    private static AbstractTreeIterator tree(Repository repository, ObjectReader reader, String commit) throws IOException {
        if (commit == null) {
            return new EmptyTreeIterator();
        }
        try (RevWalk walk = new RevWalk(reader)) {
            CanonicalTreeParser parser = new CanonicalTreeParser();
            parser.reset(reader, walk.parseCommit(ObjectId.fromString(commit)).getTree().getId());
            return parser;
        }
    }

    private static ChangedFile toChangedFile(DiffFormatter diff, DiffEntry entry) throws IOException {
        ChangeType type = switch (entry.getChangeType()) {
            case ADD -> ChangeType.ADDED;
            case MODIFY -> ChangeType.MODIFIED;
            case RENAME -> ChangeType.RENAMED;
            case COPY -> ChangeType.COPIED;
            case DELETE -> ChangeType.DELETED;
        };
        if (type == ChangeType.DELETED) {
            return new ChangedFile(type, entry.getOldPath(), entry.getOldPath(), null, List.of());
        }
        List<LineRange> changed = new ArrayList<>();
        // a binary file has no edit list: its ranges stay empty and the planner skips it anyway
        for (Edit edit : diff.toFileHeader(entry).toEditList()) {
            if (edit.getEndB() > edit.getBeginB()) {
                changed.add(new LineRange(edit.getBeginB() + 1, edit.getEndB()));
            }
        }
        String oldPath = type == ChangeType.ADDED ? null : entry.getOldPath();
        return new ChangedFile(type, oldPath, entry.getNewPath(), entry.getNewId().name(), changed);
    }
}
