package dev.drep.publisher.platform;

import dev.drep.core.platform.Platform;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Building platform API URLs from a {@code PullRequestRef}. */
public final class ApiUrls {
    private ApiUrls() {
    }

    /**
     * @return the API root of {@code apiUrl} on {@code platform} ({@link Platform#apiRoot}: with the
     *         platform's API path appended unless it is there already)
     * @throws PlatformException when the pull request has no API URL
     */
    public static String root(Platform platform, String apiUrl) {
        try {
            return platform.apiRoot(apiUrl);
        } catch (IllegalArgumentException e) {
            throw PlatformException.failed("the pull request has no apiUrl");
        }
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
