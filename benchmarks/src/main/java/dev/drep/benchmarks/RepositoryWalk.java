package dev.drep.benchmarks;

import dev.drep.paths.IgnoreRules;
import dev.drep.paths.MatchOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * The files of a commit that a whole-repository scan looks at: every file of the commit's tree except those the
 * ignore rules exclude, with the scanner's layering (drep's defaults, the root {@code .gitignore}, nested
 * {@code .gitignore} files deeper over shallower, then the repository configuration's globs) and git's
 * semantics ({@link IgnoreRules}).
 *
 * <p>Two things keep it fast. An excluded directory is never read: nothing below it can come back, so its tree
 * object is not even opened. And a directory without its own {@code .gitignore} uses its parent's combined
 * rules, the same instance, so one automaton (whose lazily built DFA is warm after the first few paths) serves
 * every directory between two {@code .gitignore} files instead of one combination per directory.
 */
public final class RepositoryWalk {
    /** A {@code .gitignore} larger than this is not read (generated, and slow to compile), as in the scanner. */
    static final int MAX_GITIGNORE_BYTES = 512 * 1024;

    private final ObjectReader reader;
    private final IgnoreRules configured;
    private final List<String> files = new ArrayList<>();

    private RepositoryWalk(ObjectReader reader, IgnoreRules configured) {
        this.reader = reader;
        this.configured = configured;
    }

    /**
     * @param commit     the commit to list
     * @param configured the repository configuration's ignore globs (highest precedence), or {@link IgnoreRules#NONE}
     * @return the paths of the files not ignored, in tree order
     */
    public static List<String> files(Repository git, AnyObjectId commit, IgnoreRules configured) throws IOException {
        try (ObjectReader reader = git.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            RepositoryWalk listing = new RepositoryWalk(reader, configured);
            ObjectId tree = walk.parseCommit(commit).getTree();
            listing.directory(tree, "", List.of(IgnoreRules.DEFAULTS), null);
            return listing.files;
        }
    }

    /** An entry of a tree; the object id is kept for subtrees only (files are listed, never opened). */
    private record Entry(String name, int type, ObjectId tree) {
    }

    /**
     * @param layers   the .gitignore layers that apply here (defaults first)
     * @param combined the parent's combined rules, reused when this directory adds no .gitignore; null at the root
     */
    private void directory(ObjectId tree, String prefix, List<IgnoreRules> layers, IgnoreRules combined)
            throws IOException {
        List<Entry> entries = new ArrayList<>();
        ObjectId gitignore = null;
        CanonicalTreeParser parser = new CanonicalTreeParser(null, reader, tree);
        for (; !parser.eof(); parser.next()) {
            String name = parser.getEntryPathString();
            int type = parser.getEntryRawMode() & FileMode.TYPE_MASK;
            if (type == FileMode.TYPE_TREE) {
                entries.add(new Entry(name, type, parser.getEntryObjectId()));
            } else {
                if (type == FileMode.TYPE_FILE && name.equals(".gitignore")) {
                    gitignore = parser.getEntryObjectId();
                }
                entries.add(new Entry(name, type, null));
            }
        }
        IgnoreRules rules = combined;
        List<IgnoreRules> here = layers;
        if (gitignore != null) {
            IgnoreRules own = read(gitignore, prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1));
            here = new ArrayList<>(layers);
            here.add(own);
            rules = null;
        }
        if (rules == null) {
            List<IgnoreRules> all = new ArrayList<>(here);
            all.add(configured);
            rules = IgnoreRules.combine(all);
        }
        for (Entry entry : entries) {
            String path = prefix + entry.name();
            int type = entry.type();
            if (type == FileMode.TYPE_TREE) {
                if (!rules.isIgnored(path, true)) {
                    directory(entry.tree(), path + "/", here, rules);
                }
            } else if (type == FileMode.TYPE_FILE || type == FileMode.TYPE_SYMLINK) {
                // submodules (gitlinks) have no content in this repository
                if (!rules.isIgnored(path, false)) {
                    files.add(path);
                }
            }
        }
    }

    private IgnoreRules read(ObjectId blob, String directory) throws IOException {
        ObjectLoader loader = reader.open(blob);
        if (loader.getSize() > MAX_GITIGNORE_BYTES) {
            return IgnoreRules.NONE;
        }
        String text = new String(loader.getBytes(), StandardCharsets.UTF_8);
        // as git does, a line that cannot be a pattern is left out rather than failing the scan
        return IgnoreRules.parseLenient(text, directory, MatchOptions.CASE_SENSITIVE, invalid -> { });
    }
}
