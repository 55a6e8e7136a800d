package dev.drep.scanner.config;

import dev.drep.contracts.DescribeMode;
import dev.drep.contracts.OnIncomplete;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.Severity;
import dev.drep.contracts.VerifyMode;
import dev.drep.core.git.RepositoryProblem;
import dev.drep.paths.IgnoreRules;
import dev.drep.paths.InvalidPatternException;
import dev.drep.paths.MatchOptions;
import dev.drep.paths.PathPattern;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads {@code .drep.yaml} from a commit. Callers pass the base commit of a pull request, never its head,
 * so that a pull request cannot switch its own review off. The file is all or nothing: any error (syntax,
 * unknown key, wrong type, invalid glob) makes the whole file ignored, with a note naming the line and
 * the problem, and the defaults apply.
 *
 * <pre>
 * ignore: ["docs/generated/", "*.min.js"]      # gitignore syntax, relative to the repository root
 * instructions:                                # for LLM analyzers, by path (every matching entry applies)
 *   - path: "docs/**"                          # one glob or a list of globs
 *     text: "Check that examples compile."
 * analyzers: [markdown]                        # the analyzers to run (default: all)
 * minimum-severity: warning                    # lowest severity posted inline (info, warning, error)
 * max-inline-comments: 20                      # inline comments per review, 0-1000
 * max-comments-per-file: 5                     # inline comments on one file per review, 0-1000 (default 10)
 * fail-on: error                               # the check fails at or above this severity
 * max-llm-tokens: 100000                       # LLM tokens per review; lowers the analyzer's ceiling
 * on-incomplete: failure                       # the check while a changed file is not analysed (failure, neutral)
 * verify: fold                                 # findings the verifier did not confirm: fold, drop; off: no verifier
 * suppress-rules: [md.line-length]             # rules listed in the summary, never commented on inline
 * describe: summary                            # the walkthrough: summary (comment), body (also the description), off
 * </pre>
 */
public final class RepositoryConfigurationReader {
    /** The file's name, at the repository root. */
    public static final String FILE = ".drep.yaml";
    /** Larger files are refused before parsing: a configuration is a few lines. */
    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_INLINE_COMMENTS = 1000;
    static final int MAX_INSTRUCTION_CHARS = 4000;
    static final int MAX_ENTRIES = 200;
    /** Upper bound of {@code max-llm-tokens}: far above any real review, and well inside a long. */
    static final long MAX_LLM_TOKENS = 1_000_000_000L;
    private static final List<String> KEYS = List.of("ignore", "instructions", "analyzers", "minimum-severity",
            "max-inline-comments", "max-comments-per-file", "fail-on", "max-llm-tokens", "on-incomplete",
            "verify", "suppress-rules", "describe");

    private final Set<String> knownAnalyzers;

    /** @param knownAnalyzers the analyzer names {@code analyzers} may list */
    public RepositoryConfigurationReader(Set<String> knownAnalyzers) {
        this.knownAnalyzers = new TreeSet<>(knownAnalyzers);
    }

    /**
     * @param commit the commit to read from (a pull request's base); null for none (defaults, no note)
     * @return the configuration and any note about it
     */
    public LoadedConfiguration read(Repository git, String commit) {
        if (commit == null) {
            return new LoadedConfiguration(RepositoryConfiguration.DEFAULTS, List.of());
        }
        String where = "`" + FILE + "` at " + abbreviate(commit);
        byte[] bytes;
        try (RevWalk walk = new RevWalk(git);
                TreeWalk tree = TreeWalk.forPath(git, FILE, walk.parseCommit(ObjectId.fromString(commit)).getTree())) {
            if (tree == null) {
                return new LoadedConfiguration(RepositoryConfiguration.DEFAULTS, List.of());
            }
            ObjectLoader loader = git.open(tree.getObjectId(0));
            if (loader.getSize() > MAX_BYTES) {
                return invalid(where, "it is " + loader.getSize() + " bytes, over the limit of " + MAX_BYTES + " bytes");
            }
            bytes = loader.getBytes();
        } catch (IOException e) {
            throw new RepositoryProblem("could not read " + FILE + " at " + commit + ": " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return invalid(where, "it is not valid UTF-8");
        }
        return parse(text, where);
    }

    /**
     * Parses the file's text.
     *
     * @param where how notes name the file, e.g. {@code `.drep.yaml` at 1a2b3c4}
     */
    public LoadedConfiguration parse(String text, String where) {
        try {
            return new LoadedConfiguration(configuration(text), List.of());
        } catch (Invalid e) {
            return invalid(where, e.getMessage());
        }
    }

    private static LoadedConfiguration invalid(String where, String problem) {
        return new LoadedConfiguration(RepositoryConfiguration.DEFAULTS, List.of(where + " is invalid, so drep ignored it "
                + "and used the default settings: " + problem));
    }

    private RepositoryConfiguration configuration(String text) {
        Node root = compose(text);
        if (root == null) {
            return RepositoryConfiguration.DEFAULTS;
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new Invalid(line(root) + "the file must be a mapping with keys such as " + String.join(", ", KEYS));
        }
        IgnoreRules ignore = IgnoreRules.NONE;
        List<PathInstruction> instructions = List.of();
        Optional<Set<String>> analyzers = Optional.empty();
        Severity minimum = PublishSettings.DEFAULTS.minimumSeverity();
        int maxInline = PublishSettings.DEFAULTS.maxInlineComments();
        int maxPerFile = PublishSettings.DEFAULTS.maxCommentsPerFile();
        Severity failOn = PublishSettings.DEFAULTS.failOn();
        Long maxLlmTokens = null;
        OnIncomplete onIncomplete = PublishSettings.DEFAULTS.onIncomplete();
        VerifyMode verify = VerifyMode.FOLD;
        List<String> suppressRules = List.of();
        DescribeMode describe = DescribeMode.SUMMARY;
        Set<String> seen = new HashSet<>();
        for (NodeTuple entry : mapping.getValue()) {
            String key = string(entry.getKeyNode(), "a key");
            if (!seen.add(key)) {
                throw new Invalid(line(entry.getKeyNode()) + "key '" + key + "' appears twice");
            }
            Node value = entry.getValueNode();
            switch (key) {
                case "ignore" -> ignore = ignore(value);
                case "instructions" -> instructions = instructions(value);
                case "analyzers" -> analyzers = Optional.of(analyzers(value));
                case "minimum-severity" -> minimum = severity(value, key);
                case "max-inline-comments" -> maxInline = count(value, key);
                case "max-comments-per-file" -> maxPerFile = count(value, key);
                case "fail-on" -> failOn = severity(value, key);
                case "max-llm-tokens" -> maxLlmTokens = tokens(value, key);
                case "on-incomplete" -> onIncomplete = onIncomplete(value, key);
                case "verify" -> verify = verify(value, key);
                case "suppress-rules" -> suppressRules = suppressRules(value);
                case "describe" -> describe = describe(value, key);
                default -> throw new Invalid(line(entry.getKeyNode()) + "unknown key '" + key + "' (known keys: "
                        + String.join(", ", KEYS) + ")");
            }
        }
        return new RepositoryConfiguration(ignore, instructions, analyzers, new PublishSettings(minimum, maxInline, failOn,
                onIncomplete, maxPerFile, suppressRules, describe), maxLlmTokens, verify);
    }

    private static Node compose(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_BYTES);
        try {
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            String at = e.getProblemMark() == null ? "" : "line " + (e.getProblemMark().getLine() + 1) + ": ";
            throw new Invalid(at + "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new Invalid("not valid YAML: " + e.getMessage());
        }
    }

    private static IgnoreRules ignore(Node value) {
        List<Node> items = sequence(value, "ignore", "a list of gitignore-style patterns");
        List<String> patterns = new ArrayList<>();
        for (Node item : items) {
            patterns.add(string(item, "a pattern in 'ignore'"));
        }
        try {
            return IgnoreRules.of(FILE + " ignore", patterns, MatchOptions.CASE_SENSITIVE);
        } catch (InvalidPatternException e) {
            Node at = e.line() >= 1 && e.line() <= items.size() ? items.get(e.line() - 1) : value;
            throw new Invalid(line(at) + "invalid pattern in 'ignore': " + e.problem());
        }
    }

    private static List<PathInstruction> instructions(Node value) {
        List<PathInstruction> result = new ArrayList<>();
        for (Node item : sequence(value, "instructions", "a list of {path, text} entries")) {
            if (!(item instanceof MappingNode entry)) {
                throw new Invalid(line(item) + "each entry of 'instructions' must have 'path' and 'text'");
            }
            List<PathPattern> patterns = null;
            String text = null;
            for (NodeTuple field : entry.getValue()) {
                String name = string(field.getKeyNode(), "a key");
                switch (name) {
                    case "path" -> patterns = patterns(field.getValueNode());
                    case "text" -> text = string(field.getValueNode(), "'text' of an instruction");
                    default -> throw new Invalid(line(field.getKeyNode()) + "unknown key '" + name
                            + "' in an instruction (known keys: path, text)");
                }
            }
            if (patterns == null || text == null || text.isBlank()) {
                throw new Invalid(line(item) + "each entry of 'instructions' needs both 'path' and a non-empty 'text'");
            }
            if (text.length() > MAX_INSTRUCTION_CHARS) {
                throw new Invalid(line(item) + "an instruction's 'text' is " + text.length() + " characters, over the limit of "
                        + MAX_INSTRUCTION_CHARS);
            }
            result.add(new PathInstruction(patterns, text.strip()));
        }
        return result;
    }

    private static List<PathPattern> patterns(Node value) {
        List<Node> items = value instanceof SequenceNode ? sequence(value, "path", "") : List.of(value);
        if (items.isEmpty()) {
            throw new Invalid(line(value) + "'path' of an instruction names no glob");
        }
        List<PathPattern> patterns = new ArrayList<>();
        for (Node item : items) {
            String glob = string(item, "a glob in 'path'");
            try {
                patterns.add(PathPattern.compile(glob, MatchOptions.CASE_SENSITIVE));
            } catch (InvalidPatternException e) {
                throw new Invalid(line(item) + "invalid glob '" + glob + "' in 'path': " + e.problem());
            }
        }
        return patterns;
    }

    /** Rule ids, as findings name them ({@code md.line-length}); learnings export them in this form. */
    private static List<String> suppressRules(Node value) {
        List<String> rules = new ArrayList<>();
        for (Node item : sequence(value, "suppress-rules", "a list of rule ids")) {
            String rule = string(item, "a rule id in 'suppress-rules'").strip();
            if (rule.isEmpty()) {
                throw new Invalid(line(item) + "a rule id in 'suppress-rules' must not be empty");
            }
            rules.add(rule);
        }
        return rules;
    }

    private Set<String> analyzers(Node value) {
        Set<String> names = new LinkedHashSet<>();
        for (Node item : sequence(value, "analyzers", "a list of analyzer names")) {
            String name = string(item, "an analyzer name");
            if (!knownAnalyzers.contains(name)) {
                throw new Invalid(line(item) + "unknown analyzer '" + name + "' (known: " + String.join(", ", knownAnalyzers) + ")");
            }
            names.add(name);
        }
        return names;
    }

    private static Severity severity(Node value, String key) {
        String text = string(value, "'" + key + "'");
        try {
            return Severity.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Invalid(line(value) + "'" + key + "' must be one of info, warning, error, got '" + text + "'");
        }
    }

    private static OnIncomplete onIncomplete(Node value, String key) {
        String text = string(value, "'" + key + "'");
        for (OnIncomplete choice : OnIncomplete.values()) {
            if (choice.name().equalsIgnoreCase(text.strip())) {
                return choice;
            }
        }
        throw new Invalid(line(value) + "'" + key + "' must be failure or neutral, got '" + text + "'");
    }

    /** drop, fold or off, in any case; a bare {@code off} is a YAML 1.1 boolean and is read as its text. */
    private static VerifyMode verify(Node value, String key) {
        String text = string(value, "'" + key + "'");
        for (VerifyMode choice : VerifyMode.values()) {
            if (choice.name().equalsIgnoreCase(text.strip())) {
                return choice;
            }
        }
        throw new Invalid(line(value) + "'" + key + "' must be drop, fold or off, got '" + text + "' (fold, the "
                + "default, shows the findings the verifier did not confirm in a folded section of the summary)");
    }

    /** summary, body or off, in any case; a bare {@code off} is a YAML 1.1 boolean and is read as its text. */
    private static DescribeMode describe(Node value, String key) {
        String text = string(value, "'" + key + "'");
        for (DescribeMode choice : DescribeMode.values()) {
            if (choice.name().equalsIgnoreCase(text.strip())) {
                return choice;
            }
        }
        throw new Invalid(line(value) + "'" + key + "' must be summary, body or off, got '" + text + "' (summary, the "
                + "default, puts the walkthrough in drep's summary comment; body also writes it into the description)");
    }

    private static int count(Node value, String key) {
        String text = value instanceof ScalarNode scalar ? scalar.getValue() : "a " + kind(value);
        if (value instanceof ScalarNode scalar && Tag.INT.equals(scalar.getTag())) {
            try {
                int n = Integer.parseInt(scalar.getValue().replace("_", ""));
                if (n >= 0 && n <= MAX_INLINE_COMMENTS) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // falls through to the message below (octal, hex or out of int range)
            }
        }
        throw new Invalid(line(value) + "'" + key + "' must be a whole number from 0 to " + MAX_INLINE_COMMENTS + ", got '"
                + text + "'");
    }

    private static long tokens(Node value, String key) {
        String text = value instanceof ScalarNode scalar ? scalar.getValue() : "a " + kind(value);
        if (value instanceof ScalarNode scalar && Tag.INT.equals(scalar.getTag())) {
            try {
                long n = Long.parseLong(scalar.getValue().replace("_", ""));
                if (n >= 1 && n <= MAX_LLM_TOKENS) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // falls through to the message below (octal, hex or out of range)
            }
        }
        throw new Invalid(line(value) + "'" + key + "' must be a whole number of tokens from 1 to " + MAX_LLM_TOKENS
                + ", got '" + text + "'");
    }

    private static List<Node> sequence(Node value, String key, String expected) {
        if (!(value instanceof SequenceNode sequence)) {
            throw new Invalid(line(value) + "'" + key + "' must be " + expected + ", got a " + kind(value));
        }
        if (sequence.getValue().size() > MAX_ENTRIES) {
            throw new Invalid(line(value) + "'" + key + "' has " + sequence.getValue().size() + " entries, over the limit of "
                    + MAX_ENTRIES);
        }
        return sequence.getValue();
    }

    private static String string(Node node, String what) {
        if (node instanceof ScalarNode scalar && !Tag.NULL.equals(scalar.getTag())) {
            return scalar.getValue();
        }
        throw new Invalid(line(node) + what + " must be a text value, got " + (node instanceof ScalarNode ? "nothing" : "a " + kind(node)));
    }

    private static String kind(Node node) {
        return node instanceof MappingNode ? "mapping" : node instanceof SequenceNode ? "list" : "single value";
    }

    private static String line(Node node) {
        return node.getStartMark() == null ? "" : "line " + (node.getStartMark().getLine() + 1) + ": ";
    }

    private static String abbreviate(String commit) {
        return commit.length() > 7 ? commit.substring(0, 7) : commit;
    }

    /** A problem in the file; the message starts with the line when known. */
    private static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
