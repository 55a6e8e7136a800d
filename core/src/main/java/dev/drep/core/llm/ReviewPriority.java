package dev.drep.core.llm;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.LineRange;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The order in which a change's files get LLM attention when not all of them can (a job's token
 * ceiling): hand-written source first, then tests, then other text (configuration, documentation,
 * build files), and generated, vendored and lock files last; within each kind the smaller, more
 * focused changes first (fewer changed lines), then by path. The scanner can use the same order when
 * it packs work units, so that the first units of a job are also the most important ones.
 */
public final class ReviewPriority {

    /** What kind of file a path is, in priority order. */
    public enum Kind {
        /** hand-written source code */
        SOURCE,
        /** tests */
        TEST,
        /** configuration, documentation, build files, anything else */
        OTHER,
        /** generated, vendored, minified or lock files */
        GENERATED
    }

    /** The rule in one sentence, for "not analyzed" reasons and documentation. */
    public static final String RULE = "source files first, then tests, then other files, generated/vendored/lock "
            + "files last; within each, smaller changes first";

    /** Orders files by {@link #kind}, then changed lines, then path. */
    public static final Comparator<FileToAnalyze> ORDER = Comparator
            .comparing((FileToAnalyze f) -> kind(f.path()))
            .thenComparingInt(ReviewPriority::changedLineCount)
            .thenComparing(FileToAnalyze::path);

    private static final Set<String> SOURCE_EXTENSIONS = Set.of("java", "kt", "kts", "scala", "groovy", "py", "js",
            "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "go", "rs", "c", "h", "cc", "cpp", "cxx", "hpp", "cs", "rb",
            "php", "swift", "m", "mm", "sh", "bash", "sql", "dart", "lua", "pl", "r", "ex", "exs", "erl", "clj", "vue",
            "svelte");
    private static final Set<String> LOCK_FILES = Set.of("package-lock.json", "yarn.lock", "pnpm-lock.yaml",
            "npm-shrinkwrap.json", "cargo.lock", "go.sum", "poetry.lock", "pipfile.lock", "gemfile.lock",
            "composer.lock", "gradle.lockfile", "packages.lock.json", "uv.lock", "bun.lockb", "flake.lock");

    private static final Pattern TEST_CLASS = Pattern.compile(".*(test|tests|it)\\.(java|kt|scala|groovy|cs)");

    private ReviewPriority() {
    }

    /** @return the kind of {@code path} */
    public static Kind kind(String path) {
        String lower = path.toLowerCase(Locale.ROOT).replace('\\', '/');
        String name = lower.substring(lower.lastIndexOf('/') + 1);
        String padded = "/" + lower;
        if (LOCK_FILES.contains(name) || name.endsWith(".lock") || name.contains(".min.")
                || padded.contains("/vendor/") || padded.contains("/third_party/") || padded.contains("/node_modules/")
                || padded.contains("/generated/") || padded.contains("/__generated__/") || padded.contains("/gen/")
                || name.endsWith(".pb.go") || name.endsWith("_pb2.py") || name.endsWith(".g.dart")
                || name.endsWith(".designer.cs") || name.endsWith(".generated.ts") || name.endsWith(".map")) {
            return Kind.GENERATED;
        }
        if (padded.contains("/test/") || padded.contains("/tests/") || padded.contains("/__tests__/")
                || padded.contains("/spec/") || name.endsWith("_test.go") || name.startsWith("test_")
                || name.endsWith("_test.py") || name.contains(".test.") || name.contains(".spec.")
                || TEST_CLASS.matcher(name).matches()) {
            return Kind.TEST;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1);
        return SOURCE_EXTENSIONS.contains(extension) ? Kind.SOURCE : Kind.OTHER;
    }

    private static int changedLineCount(FileToAnalyze file) {
        int lines = 0;
        for (LineRange range : file.changedLines()) {
            lines += range.end() - range.start() + 1;
        }
        return lines;
    }
}
