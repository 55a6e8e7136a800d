package dev.drep.paths;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random gitignore lines and path trees over a tiny alphabet, so that a few hundred cases reach the corners
 * (stars next to slashes, {@code **} in every position, classes, negation, escapes) while every path can
 * still be listed.
 */
final class PatternGenerator {

    /** The common steps: names, separators and wildcards. */
    private static final String[] COMMON = {"a", "b", "/", "*", "?", "**", "[ab]"};

    /**
     * Rarer syntax: other bracket forms, escapes, runs of three stars, a stray trailing space (trimmed by git),
     * a {@code **} glued to a literal prefix (where git's prefix comparison makes it cross directories), and
     * an unclosed bracket or lone backslash (git never matches those lines; the lenient parser drops them).
     */
    private static final String[] RARE = {
        "[!a]", "[^b]", "[a-b]", "[]a]", "[[:alpha:]]", "\\a", "\\*", "***", " ", "\\ ", "[", "\\", "[a-]",
        "a**", "a**", "b**"
    };

    private final Random random;
    private final boolean mixedCase;

    /**
     * @param mixedCase whether letters outside brackets may be upper case (for the case-insensitive runs;
     *     bracket members stay lower case, see the class comment of {@link GitOracleTest})
     */
    PatternGenerator(long seed, boolean mixedCase) {
        this.random = new Random(seed);
        this.mixedCase = mixedCase;
    }

    Random random() {
        return random;
    }

    /** One gitignore line, possibly negated. */
    String line() {
        StringBuilder sb = new StringBuilder();
        if (random.nextInt(4) == 0) {
            sb.append('!');
        }
        int steps = 1 + random.nextInt(5);
        for (int i = 0; i < steps; i++) {
            String step = random.nextInt(7) == 0 ? RARE[random.nextInt(RARE.length)] : COMMON[random.nextInt(COMMON.length)];
            if (mixedCase && step.length() == 1 && Character.isLetter(step.charAt(0)) && random.nextBoolean()) {
                step = step.toUpperCase();
            }
            sb.append(step);
        }
        return sb.toString();
    }

    /** A stand-alone pattern over names that the overlap tests enumerate ({@code a}, {@code b}, {@code .py}). */
    String reservationPattern() {
        String[] steps = {"a", "b", ".py", "/", "*", "?", "**", "[ab]", "a"};
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(5);
        for (int i = 0; i < n; i++) {
            sb.append(steps[random.nextInt(steps.length)]);
        }
        return sb.toString();
    }

    /**
     * A stand-alone pattern for the covering oracle, over the names {@link #deepPaths} enumerates: {@code **},
     * classes, anchoring by a leading or middle slash and directory-only patterns all come up often.
     */
    String coveringPattern() {
        String[] steps = {"a", "b", ".py", "/", "*", "?", "**", "[ab]", "[!b]", "a", "*.py", "**/", "/**"};
        StringBuilder sb = new StringBuilder();
        if (random.nextInt(6) == 0) {
            sb.append('/');
        }
        int n = 1 + random.nextInt(5);
        for (int i = 0; i < n; i++) {
            sb.append(steps[random.nextInt(steps.length)]);
        }
        if (random.nextInt(4) == 0 && sb.charAt(sb.length() - 1) != '/') {
            sb.append('/');
        }
        return sb.toString();
    }

    /**
     * Paths for the covering oracle, each as a file and as a directory: every path of up to four segments
     * from {a, b, ab, a.py}, and every path of five and six segments from {a, b, a.py}, so that files lie
     * five directories deep.
     */
    static List<Entry> deepPaths() {
        List<String> paths = new ArrayList<>();
        extend(paths, "", 1, 4, List.of("a", "b", "ab", "a.py"));
        List<String> deep = new ArrayList<>();
        extend(deep, "", 1, 6, List.of("a", "b", "a.py"));
        for (String path : deep) {
            if (path.split("/").length >= 5) {
                paths.add(path);
            }
        }
        List<Entry> entries = new ArrayList<>(paths.size() * 2);
        for (String path : paths) {
            entries.add(new Entry(path, false));
            entries.add(new Entry(path, true));
        }
        return entries;
    }

    private static void extend(List<String> into, String prefix, int depth, int maxDepth, List<String> names) {
        for (String name : names) {
            String path = prefix + name;
            into.add(path);
            if (depth < maxDepth) {
                extend(into, path + "/", depth + 1, maxDepth, names);
            }
        }
    }

    /** Between {@code min} and {@code max} lines, with the odd comment and blank line to exercise numbering. */
    List<String> lines(int min, int max) {
        List<String> lines = new ArrayList<>();
        int n = min + random.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
            int roll = random.nextInt(12);
            if (roll == 0) {
                lines.add("# comment " + i);
            } else if (roll == 1) {
                lines.add("");
            } else {
                lines.add(line());
            }
        }
        return lines;
    }

    /** A path with its kind. */
    record Entry(String path, boolean directory) {}

    /**
     * A tree three levels deep: at the first two levels directories {@code a}, {@code b} and files
     * {@code ab}, {@code ba}, {@code aa}; at the third level files {@code a}, {@code b}, {@code ab}, {@code ba},
     * {@code aa}. Optionally a file {@code Ab} at each level for the case-insensitive runs.
     */
    static List<Entry> tree(boolean withUpperCase) {
        List<Entry> entries = new ArrayList<>();
        List<String> files = new ArrayList<>(List.of("ab", "ba", "aa"));
        if (withUpperCase) {
            files.add("Ab");
        }
        addLevel(entries, "", 1, files);
        return entries;
    }

    private static void addLevel(List<Entry> entries, String prefix, int depth, List<String> files) {
        if (depth == 3) {
            for (String name : List.of("a", "b", "ab", "ba", "aa")) {
                entries.add(new Entry(prefix + name, false));
            }
            for (String name : files.subList(3, files.size())) {
                entries.add(new Entry(prefix + name, false));
            }
            return;
        }
        for (String dir : List.of("a", "b")) {
            entries.add(new Entry(prefix + dir, true));
            addLevel(entries, prefix + dir + "/", depth + 1, files);
        }
        for (String file : files) {
            entries.add(new Entry(prefix + file, false));
        }
    }
}
