package dev.drep.core.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;

/**
 * The unified diff of each changed file between two commits (what {@code git diff} prints, renames detected), for the
 * walkthrough of a pull request. Bounded: each file's text is cut at a limit, and once the total reaches its limit
 * the remaining files are named without text, so a huge change costs a bounded amount of memory.
 */
public final class UnifiedDiffs {
    private UnifiedDiffs() {
    }

    /**
     * One file's diff.
     *
     * @param path the path at head (the old path for a deleted file)
     * @param text the unified diff, possibly cut ({@code cut}); null when the total limit was reached before it
     * @param cut  true when the text was cut at the per-file limit
     */
    public record FileDiff(String path, String text, boolean cut) {
    }

    /**
     * @param range        base..head
     * @param ignored      paths left out altogether (ignore rules)
     * @param maxFileChars each file's diff is cut after this many characters
     * @param maxTotal     the texts add up to at most this many characters; later files (in path order) get none
     * @param maxFiles     at most this many files are named; the rest are left out
     * @return the files in path order
     */
    public static List<FileDiff> of(Repository repository, RevisionRange range, Predicate<String> ignored,
            int maxFileChars, int maxTotal, int maxFiles) {
        if (range.isEmpty()) {
            return List.of();
        }
        try (ObjectReader reader = repository.newObjectReader();
                DiffFormatter listing = new DiffFormatter(OutputStream.nullOutputStream())) {
            listing.setRepository(repository);
            listing.setDiffComparator(RawTextComparator.DEFAULT);
            listing.setDetectRenames(true);
            List<DiffEntry> entries = new ArrayList<>(listing.scan(tree(repository, reader, range.base()),
                    tree(repository, reader, range.head())));
            entries.sort(Comparator.comparing(UnifiedDiffs::path));
            List<FileDiff> files = new ArrayList<>();
            int total = 0;
            for (DiffEntry entry : entries) {
                String path = path(entry);
                if (ignored.test(path)) {
                    continue;
                }
                if (files.size() == maxFiles) {
                    break;
                }
                if (total >= maxTotal) {
                    files.add(new FileDiff(path, null, false));
                    continue;
                }
                int limit = Math.min(maxFileChars, maxTotal - total);
                Capped out = new Capped(limit * 4 + 4);
                try (DiffFormatter formatter = new DiffFormatter(out)) {
                    formatter.setRepository(repository);
                    formatter.setDiffComparator(RawTextComparator.DEFAULT);
                    formatter.format(entry);
                }
                String text = out.text();
                boolean cut = out.overflowed() || text.length() > limit;
                if (text.length() > limit) {
                    text = text.substring(0, limit);
                }
                total += text.length();
                files.add(new FileDiff(path, text, cut));
            }
            return files;
        } catch (IOException e) {
            throw new RepositoryProblem("could not diff " + range.base() + ".." + range.head() + ": " + e.getMessage(), e);
        }
    }

    private static String path(DiffEntry entry) {
        return entry.getChangeType() == DiffEntry.ChangeType.DELETE ? entry.getOldPath() : entry.getNewPath();
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

    /** Keeps the first bytes written and drops the rest, so one huge file's diff is never held whole. */
    private static final class Capped extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final int capacity;
        private boolean overflowed;

        Capped(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public void write(int b) {
            if (kept.size() < capacity) {
                kept.write(b);
            } else {
                overflowed = true;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            int room = Math.max(0, capacity - kept.size());
            kept.write(b, off, Math.min(room, len));
            overflowed |= len > room;
        }

        boolean overflowed() {
            return overflowed;
        }

        String text() {
            // a multi-byte character cut at the end decodes as U+FFFD: harmless in a prompt
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}
