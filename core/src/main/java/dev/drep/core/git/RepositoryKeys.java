package dev.drep.core.git;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;

/**
 * The reservation key of a local git repository, one rule for the scanner's local reviews and the launcher's
 * guard hooks, so that both name the repository as agents do on the platform:
 * <ol>
 *   <li>the git configuration value {@code drep.repository}, when set;
 *   <li>else the path of the {@code origin} remote's URL ({@code https://github.com/acme/docs.git} and
 *       {@code git@github.com:acme/docs.git} give {@code acme/docs}; a local path or {@code file:} URL gives its
 *       last name);
 *   <li>else the name of the work tree's folder.
 * </ol>
 */
public final class RepositoryKeys {

    private RepositoryKeys() {
    }

    /** @return the key of {@code git} by the rules above */
    public static String of(Repository git) {
        StoredConfig config = git.getConfig();
        String configured = config.getString("drep", null, "repository");
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        Set<String> remotes = config.getSubsections("remote");
        String remote = remotes.contains("origin") ? "origin" : remotes.size() == 1 ? remotes.iterator().next() : null;
        if (remote != null) {
            String key = fromUrl(config.getString("remote", remote, "url"));
            if (key != null) {
                return key;
            }
        }
        File folder = git.isBare() ? git.getDirectory() : git.getWorkTree();
        return stripGitSuffix(folder.getAbsoluteFile().getName());
    }

    /** @return the repository path of a remote URL, or null when it has none */
    public static String fromUrl(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String text = url.strip();
        int scheme = text.indexOf("://");
        String path;
        if (scheme > 0) {
            try {
                URI uri = new URI(text);
                path = uri.getPath();
                if ("file".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                    return lastName(path);
                }
            } catch (URISyntaxException e) {
                int slash = text.indexOf('/', scheme + 3);
                path = slash < 0 ? "" : text.substring(slash);
            }
        } else {
            int colon = text.indexOf(':');
            int slash = text.indexOf('/');
            boolean scpLike = colon > 0 && (slash < 0 || colon < slash)
                    && !(colon == 1 && Character.isLetter(text.charAt(0)));
            if (!scpLike) {
                return lastName(text);
            }
            path = text.substring(colon + 1);
        }
        String trimmed = stripGitSuffix(trimSlashes(path == null ? "" : path));
        return trimmed.isEmpty() ? null : trimmed;
    }

    private static String lastName(String path) {
        String trimmed = trimSlashes(path == null ? "" : path.replace('\\', '/'));
        String name = stripGitSuffix(trimmed.substring(trimmed.lastIndexOf('/') + 1));
        return name.isEmpty() ? null : name;
    }

    private static String trimSlashes(String path) {
        int from = 0;
        int to = path.length();
        while (from < to && path.charAt(from) == '/') {
            from++;
        }
        while (to > from && path.charAt(to - 1) == '/') {
            to--;
        }
        return path.substring(from, to);
    }

    private static String stripGitSuffix(String name) {
        return name.endsWith(".git") ? name.substring(0, name.length() - 4) : name;
    }
}
