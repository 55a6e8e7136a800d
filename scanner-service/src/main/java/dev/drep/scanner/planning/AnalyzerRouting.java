package dev.drep.scanner.planning;

import dev.drep.core.llm.ReviewPriority;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which analyzers look at which file, by file type. A file can go to several analyzers: a Java file is
 * reviewed by the LLM and checked for doc comments. Generated, vendored, minified and lock files go to
 * none — an LLM review of them costs tokens and helps nobody — and are named in the summary.
 */
public final class AnalyzerRouting {
    static final String MARKDOWN = "markdown";
    static final String LLM_REVIEW = "llm-review";
    static final String DOC_COMMENTS = "doc-comments";
    /** Every analyzer a file can be routed to: the names {@code .drep.yaml} may switch on. */
    public static final Set<String> KNOWN = Set.of(MARKDOWN, LLM_REVIEW, DOC_COMMENTS);
    /** Why a generated file is not routed anywhere. */
    static final String GENERATED_REASON = "generated, vendored or lock file: not reviewed";

    private static final Set<String> MARKDOWN_EXTENSIONS = Set.of("md", "markdown", "mdown", "mkd");
    /** Languages with a doc-comment parser (JavaParser, tree-sitter) as well as the LLM review. */
    private static final Set<String> DOCUMENTED_LANGUAGES = Set.of("java", "py", "js", "jsx", "mjs", "cjs", "ts", "tsx",
            "mts", "cts", "go");
    /** Other code and configuration text the LLM reviews. */
    private static final Set<String> REVIEWED_TEXT = Set.of("kt", "kts", "scala", "groovy", "rs", "c", "h", "cc", "cpp",
            "hpp", "cs", "rb", "php", "swift", "sh", "bash", "sql", "dart", "lua", "vue", "svelte", "yaml", "yml", "json",
            "toml", "xml", "gradle", "properties", "tf", "dockerfile");

    private AnalyzerRouting() {
    }

    /** @return the analyzers for {@code path}, empty when none applies to its type */
    static List<String> analyzersFor(String path) {
        String extension = extension(path);
        if (MARKDOWN_EXTENSIONS.contains(extension)) {
            return List.of(MARKDOWN);
        }
        if (ReviewPriority.kind(path) == ReviewPriority.Kind.GENERATED) {
            return List.of();
        }
        if (DOCUMENTED_LANGUAGES.contains(extension)) {
            return List.of(LLM_REVIEW, DOC_COMMENTS);
        }
        if (REVIEWED_TEXT.contains(extension)) {
            return List.of(LLM_REVIEW);
        }
        return List.of();
    }

    /** @return true for analyzers that call the LLM (their units are sized differently) */
    static boolean usesLlm(String analyzer) {
        return !MARKDOWN.equals(analyzer);
    }

    /** @return true when no analyzer looks at the path because it is generated, vendored or a lock file */
    static boolean isGenerated(String path) {
        return !MARKDOWN_EXTENSIONS.contains(extension(path)) && ReviewPriority.kind(path) == ReviewPriority.Kind.GENERATED;
    }

    private static String extension(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (name.equals("dockerfile")) {
            return "dockerfile";
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }
}
