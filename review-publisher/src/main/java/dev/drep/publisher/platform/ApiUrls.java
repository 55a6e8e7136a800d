package dev.drep.publisher.platform;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Building platform API URLs from a {@code PullRequestRef}. */
public final class ApiUrls {
    private ApiUrls() {
    }

    /**
     * @return {@code apiUrl} without a trailing slash, with {@code suffix} (e.g. {@code /api/v1}) appended
     *         unless it already ends with it, so both {@code https://gitea.example} and
     *         {@code https://gitea.example/api/v1} work
     */
    public static String base(String apiUrl, String suffix) {
        if (apiUrl == null || apiUrl.isBlank()) {
            throw PlatformException.failed("the pull request has no apiUrl");
        }
        String base = apiUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return suffix.isEmpty() || base.endsWith(suffix) ? base : base + suffix;
    }

    /** @return {@code text} encoded as one URL path segment ({@code /} becomes {@code %2F}) */
    public static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** @return {@code owner/name} encoded as two path segments */
    public static String ownerAndName(String repository) {
        if (repository == null) {
            throw PlatformException.failed("the pull request has no repository");
        }
        int slash = repository.indexOf('/');
        if (slash <= 0 || slash == repository.length() - 1) {
            throw PlatformException.failed("repository '" + repository + "' is not of the form owner/name");
        }
        return segment(repository.substring(0, slash)) + "/" + segment(repository.substring(slash + 1));
    }
}
