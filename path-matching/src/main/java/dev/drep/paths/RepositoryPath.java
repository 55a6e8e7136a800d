package dev.drep.paths;

/**
 * Paths relative to a repository root as the matchers expect them: {@code /} separators, no empty or
 * {@code .} segments, no leading or trailing slash. Matchers normalize their input with {@link #normalize},
 * which returns the argument itself when it is already normal so the common case allocates nothing.
 */
public final class RepositoryPath {

    private RepositoryPath() {}

    /**
     * Normalizes a relative path: {@code \} becomes {@code /}, repeated slashes collapse, {@code .} segments
     * and leading or trailing slashes are dropped. {@code ..} segments are kept: they are not resolved
     * because a path outside the repository has no meaning here, and policies reject them.
     *
     * @param path a path such as {@code src\main\App.java} or {@code ./docs/}
     * @return e.g. {@code src/main/App.java} or {@code docs}; empty for the repository root itself
     */
    public static String normalize(String path) {
        if (isNormal(path)) {
            return path;
        }
        StringBuilder sb = new StringBuilder(path.length());
        int n = path.length();
        int i = 0;
        while (i < n) {
            int end = i;
            while (end < n && !isSeparator(path.charAt(end))) {
                end++;
            }
            int length = end - i;
            boolean dot = length == 1 && path.charAt(i) == '.';
            if (length > 0 && !dot) {
                if (sb.length() > 0) {
                    sb.append('/');
                }
                sb.append(path, i, end);
            }
            i = end + 1;
        }
        return sb.toString();
    }

    /** Whether the path as written names a directory, i.e. ends with a separator. */
    public static boolean namesDirectory(String path) {
        return !path.isEmpty() && isSeparator(path.charAt(path.length() - 1));
    }

    private static boolean isSeparator(char c) {
        return c == '/' || c == '\\';
    }

    private static boolean isNormal(String path) {
        int n = path.length();
        if (n == 0) {
            return true;
        }
        char previous = '/';
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                return false;
            }
            if (c == '/' && previous == '/') {
                return false;
            }
            if (c == '.' && previous == '/' && (i + 1 == n || path.charAt(i + 1) == '/')) {
                return false;
            }
            previous = c;
        }
        return previous != '/';
    }
}
