package dev.drep.paths;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An ordered list of gitignore rules with git's decision procedure: the last matching rule wins, a
 * {@code !} rule re-includes, and nothing below an excluded directory can be re-included (git never looks
 * inside it). Rules from a nested {@code .gitignore} apply only below its directory and relative to it.
 *
 * <p>Layers combine with {@link #combine}: later layers take precedence, as git puts a deeper
 * {@code .gitignore} over a shallower one. The scanner stacks {@link #DEFAULTS}, the root
 * {@code .gitignore}, nested ones, then the repository configuration's globs.
 *
 * <p>One automaton holds all rules; one pass over a path finds the deciding rule for the path and for every
 * ancestor directory at once. Immutable and thread-safe.
 */
public final class IgnoreRules {

    /** Directories that are build output, dependencies or tool state in most repositories. */
    public static final List<String> DEFAULT_PATTERNS = List.of(
            // ".git" without a slash: in worktrees and submodules it is a file.
            ".git",
            // The rest with a trailing slash so that a file named e.g. "build" (a script) is still reviewed.
            "build/", "dist/", "target/", "node_modules/", "vendor/", "__pycache__/", "venv/", ".venv/",
            "*.egg-info/");

    /** {@link #DEFAULT_PATTERNS} as rules, source {@code drep defaults}. */
    public static final IgnoreRules DEFAULTS = of("drep defaults", DEFAULT_PATTERNS, MatchOptions.CASE_SENSITIVE);

    /** No rules: nothing is ignored. */
    public static final IgnoreRules NONE = new IgnoreRules(List.of());

    private static final int DFA_STATE_BUDGET = 50_000;
    private static final long DFA_SUBSET_BUDGET = 2_000_000;

    private final List<CompiledRule> compiled;
    private final List<IgnoreRule> rules;
    private volatile LazyDfa dfa;

    private IgnoreRules(List<CompiledRule> compiled) {
        this.compiled = compiled;
        this.rules = compiled.stream().map(CompiledRule::rule).toList();
    }

    /**
     * Parses a {@code .gitignore} strictly, case-sensitively.
     *
     * @param gitignoreText the file's content
     * @param baseDirectory the directory holding the file, relative to the repository root; empty for the root
     * @throws InvalidPatternException for the first line git would treat as never matching or that exceeds
     *     the limits, naming the file and line
     */
    public static IgnoreRules parse(String gitignoreText, String baseDirectory) {
        return parse(gitignoreText, baseDirectory, MatchOptions.CASE_SENSITIVE);
    }

    /** As {@link #parse(String, String)} with the given options. */
    public static IgnoreRules parse(String gitignoreText, String baseDirectory, MatchOptions options) {
        return parseLenient(gitignoreText, baseDirectory, options, e -> {
            throw e;
        });
    }

    /**
     * Parses a {@code .gitignore} from a repository under review, where one bad line must not stop the scan:
     * each invalid line is handed to {@code invalidLines} and left out. For an unclosed {@code [} or a
     * trailing backslash this is what git does too (such a line never matches).
     */
    public static IgnoreRules parseLenient(String gitignoreText, String baseDirectory, MatchOptions options,
            Consumer<InvalidPatternException> invalidLines) {
        String base = baseDirectory(baseDirectory);
        String source = base.isEmpty() ? ".gitignore" : base + "/.gitignore";
        String text = gitignoreText.startsWith("\uFEFF") ? gitignoreText.substring(1) : gitignoreText;
        List<String> lines = Arrays.asList(text.split("\n", -1));
        return build(source, lines, base, options, invalidLines);
    }

    /** Rules from a list of gitignore lines (comments and blank lines allowed), case-sensitive, source "patterns". */
    public static IgnoreRules of(List<String> patterns) {
        return of("patterns", patterns, MatchOptions.CASE_SENSITIVE);
    }

    /**
     * Rules from a list of gitignore lines relative to the repository root, such as a repository
     * configuration's ignore globs.
     *
     * @param source how {@link IgnoreRule#source()} and error messages name the list
     * @throws InvalidPatternException for the first invalid entry, naming its 1-based position
     */
    public static IgnoreRules of(String source, List<String> patterns, MatchOptions options) {
        return build(source, patterns, "", options, e -> {
            throw e;
        });
    }

    /** Layers in increasing precedence: a rule of a later layer overrides rules of earlier ones. */
    public static IgnoreRules combine(IgnoreRules... layers) {
        return combine(List.of(layers));
    }

    /** Layers in increasing precedence: a rule of a later layer overrides rules of earlier ones. */
    public static IgnoreRules combine(List<IgnoreRules> layers) {
        List<CompiledRule> all = new ArrayList<>();
        for (IgnoreRules layer : layers) {
            all.addAll(layer.compiled);
        }
        return new IgnoreRules(List.copyOf(all));
    }

    /** The rules in precedence order (last wins). */
    public List<IgnoreRule> rules() {
        return rules;
    }

    /**
     * Whether git would ignore {@code path}.
     *
     * @param path relative to the repository root; {@code \} and {@code /} both separate directories
     * @param isDirectory whether it is a directory (rules with a trailing slash match only those)
     */
    public boolean isIgnored(String path, boolean isDirectory) {
        int rule = decidingIndex(path, isDirectory);
        return rule >= 0 && !rules.get(rule).negated();
    }

    /**
     * The rule that decides {@code path}, as {@code git check-ignore -v} names it: the last rule matching the
     * path, or the rule that excludes one of its ancestor directories (the shallowest such). A negated rule
     * means "not ignored"; empty means no rule applies.
     */
    public Optional<IgnoreRule> decidingRule(String path, boolean isDirectory) {
        int rule = decidingIndex(path, isDirectory);
        return rule < 0 ? Optional.empty() : Optional.of(rules.get(rule));
    }

    private int decidingIndex(String path, boolean isDirectory) {
        String normal = RepositoryPath.normalize(path);
        if (normal.isEmpty() || compiled.isEmpty()) {
            return -1;
        }
        LazyDfa d = automaton();
        LazyDfa.State s = d.start();
        int n = normal.length();
        for (int i = 0; i < n; ) {
            int cp = normal.charAt(i);
            if (cp < 0x80) {
                i++;
            } else {
                cp = normal.codePointAt(i);
                i += Character.charCount(cp);
            }
            if (cp == '/') {
                // The path so far is an ancestor directory; if it is excluded, git never looks further.
                int ancestorRule = last(s.dirMatches);
                if (ancestorRule >= 0 && !rules.get(ancestorRule).negated()) {
                    return ancestorRule;
                }
            }
            s = d.step(s, cp);
            if (s.dead) {
                return -1;
            }
        }
        return last(isDirectory ? s.dirMatches : s.fileMatches);
    }

    private static int last(int[] ascending) {
        return ascending.length == 0 ? -1 : ascending[ascending.length - 1];
    }

    private LazyDfa automaton() {
        LazyDfa d = dfa;
        if (d == null) {
            GlobNfa.Builder builder = new GlobNfa.Builder();
            for (int i = 0; i < compiled.size(); i++) {
                CompiledRule rule = compiled.get(i);
                int base = builder.path(GlobNfa.START, rule.base());
                int end = builder.path(base, rule.pattern().tokens());
                builder.accept(end, GlobNfa.acceptCode(i, rule.pattern().directoryOnly()));
            }
            d = new LazyDfa(builder.build(), DFA_STATE_BUDGET, DFA_SUBSET_BUDGET);
            dfa = d;
        }
        return d;
    }

    private static IgnoreRules build(String source, List<String> lines, String base, MatchOptions options,
            Consumer<InvalidPatternException> invalidLines) {
        Objects.requireNonNull(options, "options");
        List<Token> baseTokens = base.isEmpty() ? List.of() : PatternSyntax.literalTokens(base + "/", options);
        List<CompiledRule> compiled = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line == null) {
                invalidLines.accept(new InvalidPatternException(null, "no pattern given", source, i + 1));
                continue;
            }
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String trimmed = PatternSyntax.trimTrailingSpaces(line);
            if (trimmed.isEmpty() || trimmed.equals("!") || trimmed.equals("/") || trimmed.equals("!/")) {
                // Git keeps such lines but they can never match; leaving them out changes nothing.
                continue;
            }
            ParsedPattern parsed;
            try {
                parsed = PatternSyntax.parse(line, options, true);
            } catch (InvalidPatternException e) {
                invalidLines.accept(e.at(source, i + 1));
                continue;
            }
            IgnoreRule rule = new IgnoreRule(source, i + 1, trimmed, parsed.negated(), parsed.directoryOnly(), base);
            compiled.add(new CompiledRule(rule, parsed, baseTokens));
        }
        return new IgnoreRules(List.copyOf(compiled));
    }

    private static String baseDirectory(String baseDirectory) {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        String base = RepositoryPath.normalize(baseDirectory);
        for (String segment : base.split("/")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException("base directory " + baseDirectory
                        + " leaves the repository; give it relative to the repository root");
            }
        }
        return base;
    }

    private record CompiledRule(IgnoreRule rule, ParsedPattern pattern, List<Token> base) {}
}
