package dev.drep.scanner.planning;

import dev.drep.core.git.RepositoryProblem;
import dev.drep.paths.IgnoreRules;
import dev.drep.paths.MatchOptions;
import dev.drep.scanner.ScannerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The ignore rules for a repository at a commit, with git's semantics (last matching rule wins, {@code !}
 * re-includes, nothing below an excluded directory comes back). Layers in increasing precedence: drep's
 * defaults ({@link IgnoreRules#DEFAULT_PATTERNS}), the root {@code .gitignore}, nested {@code .gitignore}
 * files (deeper over shallower), the repository configuration's {@code ignore} globs, and the operator's
 * {@code drep.scanner.ignore}. The {@code .gitignore} files are read from the same commit as the
 * configuration (a pull request's base), so a pull request cannot hide its own files from review.
 */
@ApplicationScoped
public class IgnoreRulesSource {
    /** A .gitignore larger than this is not read: it would be generated, and slow to compile. */
    private static final int MAX_GITIGNORE_BYTES = 512 * 1024;

    private final IgnoreRules operator;

    /** @throws dev.drep.paths.InvalidPatternException at start-up for an invalid {@code drep.scanner.ignore} entry */
    public IgnoreRulesSource(ScannerConfig config) {
        this.operator = IgnoreRules.of("drep.scanner.ignore", config.ignore().orElse(List.of()), MatchOptions.CASE_SENSITIVE);
    }

    /**
     * @param commit     the commit whose {@code .gitignore} files apply; null for none
     * @param configured the repository configuration's ignore globs
     * @return a test answering true for file paths to ignore; for one planning run (not thread-safe)
     */
    public Predicate<String> forCommit(Repository git, String commit, IgnoreRules configured) {
        RevTree tree = null;
        if (commit != null) {
            try (RevWalk walk = new RevWalk(git)) {
                tree = walk.parseCommit(ObjectId.fromString(commit)).getTree();
            } catch (IOException e) {
                throw new RepositoryProblem("could not read commit " + commit + ": " + e.getMessage(), e);
            }
        }
        return new CommitRules(git, tree, configured, operator);
    }

    /** Combined rules per directory, built on first use; nested .gitignore files read once each. */
    private static final class CommitRules implements Predicate<String> {
        private final Repository git;
        private final RevTree tree;
        private final IgnoreRules configured;
        private final IgnoreRules operator;
        private final Map<String, IgnoreRules> gitignores = new HashMap<>();
        private final Map<String, IgnoreRules> byDirectory = new HashMap<>();

        CommitRules(Repository git, RevTree tree, IgnoreRules configured, IgnoreRules operator) {
            this.git = git;
            this.tree = tree;
            this.configured = configured;
            this.operator = operator;
        }

        @Override
        public boolean test(String path) {
            int slash = path.lastIndexOf('/');
            String directory = slash < 0 ? "" : path.substring(0, slash);
            return byDirectory.computeIfAbsent(directory, this::rulesFor).isIgnored(path, false);
        }

        private IgnoreRules rulesFor(String directory) {
            List<IgnoreRules> layers = new ArrayList<>();
            layers.add(IgnoreRules.DEFAULTS);
            layers.add(gitignore(""));
            if (!directory.isEmpty()) {
                int from = 0;
                while (true) {
                    int slash = directory.indexOf('/', from);
                    String ancestor = slash < 0 ? directory : directory.substring(0, slash);
                    layers.add(gitignore(ancestor));
                    if (slash < 0) {
                        break;
                    }
                    from = slash + 1;
                }
            }
            layers.add(configured);
            layers.add(operator);
            return IgnoreRules.combine(layers);
        }

        private IgnoreRules gitignore(String directory) {
            IgnoreRules known = gitignores.get(directory);
            if (known != null) {
                return known;
            }
            IgnoreRules rules = read(directory);
            gitignores.put(directory, rules);
            return rules;
        }

        private IgnoreRules read(String directory) {
            if (tree == null) {
                return IgnoreRules.NONE;
            }
            String file = directory.isEmpty() ? ".gitignore" : directory + "/.gitignore";
            try (TreeWalk walk = TreeWalk.forPath(git, file, tree)) {
                if (walk == null || (walk.getFileMode(0).getBits() & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
                    return IgnoreRules.NONE;
                }
                ObjectLoader loader = git.open(walk.getObjectId(0));
                if (loader.getSize() > MAX_GITIGNORE_BYTES) {
                    return IgnoreRules.NONE;
                }
                String text = new String(loader.getBytes(), StandardCharsets.UTF_8);
                // git skips lines it cannot use; so does drep, rather than failing the review
                return IgnoreRules.parseLenient(text, directory, MatchOptions.CASE_SENSITIVE, invalid -> { });
            } catch (IOException e) {
                throw new RepositoryProblem("could not read " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
