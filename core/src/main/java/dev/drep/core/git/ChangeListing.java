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

    /**
     * The edits of every file that changed in {@code range}, keyed by its path at the range's base: what a later push
     * did to the lines an earlier review commented on. A file deleted or renamed since (its earlier name is gone) and a
     * binary file are one {@link LineEdit#WHOLE_FILE}; added files are not listed (no earlier lines).
     */
    public static java.util.Map<String, List<dev.drep.contracts.LineEdit>> edits(Repository repository, RevisionRange range) {
        java.util.Map<String, List<dev.drep.contracts.LineEdit>> edits = new java.util.TreeMap<>();
        if (range.isEmpty() || range.base() == null) {
            return edits;
        }
        try (ObjectReader reader = repository.newObjectReader();
                DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repository);
            diff.setDiffComparator(RawTextComparator.DEFAULT);
            diff.setDetectRenames(true);
            for (DiffEntry entry : diff.scan(tree(repository, reader, range.base()), tree(repository, reader, range.head()))) {
                switch (entry.getChangeType()) {
                    case ADD, COPY -> {
                    }
                    case DELETE, RENAME -> edits.put(entry.getOldPath(), List.of(dev.drep.contracts.LineEdit.WHOLE_FILE));
                    case MODIFY -> {
                        List<dev.drep.contracts.LineEdit> file = new ArrayList<>();
                        for (Edit edit : diff.toFileHeader(entry).toEditList()) {
                            file.add(new dev.drep.contracts.LineEdit(edit.getBeginA() + 1, edit.getLengthA(),
                                    edit.getBeginB() + 1, edit.getLengthB()));
                        }
                        edits.put(entry.getOldPath(), file.isEmpty() ? List.of(dev.drep.contracts.LineEdit.WHOLE_FILE)
                                : List.copyOf(file));
                    }
                }
            }
            return edits;
        } catch (IOException e) {
            throw new RepositoryProblem("could not diff " + range.base() + ".." + range.head() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The unified diff of {@code range} as text (renames detected, three lines of context), for a model to read. Files
     * are written in path order while the text is shorter than {@code maxChars}; after that each further file is
     * written as its {@code diff --git} header line only, so that a reader trimming the text can still name it.
     *
     * @param maxChars how much diff text is worth writing out in full
     */
    public static String patch(Repository repository, RevisionRange range, int maxChars) {
        if (range.isEmpty()) {
            return "";
        }
        try (ObjectReader reader = repository.newObjectReader();
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                DiffFormatter diff = new DiffFormatter(out)) {
            diff.setRepository(repository);
            diff.setDiffComparator(RawTextComparator.DEFAULT);
            diff.setDetectRenames(true);
            StringBuilder text = new StringBuilder();
            for (DiffEntry entry : diff.scan(tree(repository, reader, range.base()), tree(repository, reader, range.head()))) {
                if (text.length() < maxChars) {
                    out.reset();
                    diff.format(entry);
                    diff.flush();
                    text.append(out.toString(java.nio.charset.StandardCharsets.UTF_8));
                } else {
                    text.append("diff --git a/").append(entry.getOldPath()).append(" b/").append(entry.getNewPath())
                            .append('\n');
                }
            }
            return text.toString();
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
