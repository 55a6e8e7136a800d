package dev.drep.core.platform;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A code-hosting platform drep integrates with, and what drep knows of it that the scanner and the
 * publisher both need: where its REST API lives, how a token is sent to it, and the user name that goes
 * with a token over git's HTTP basic authentication. Everything else about a platform (request paths,
 * bodies) stays with the code that makes those requests.
 */
public enum Platform {
    GITEA, GITHUB, GITLAB;

    /** GitHub's REST API version drep speaks; sent with every GitHub request. */
    public static final String GITHUB_API_VERSION = "2022-11-28";

    /** @return the lower-case name used in URLs, bodies and {@code PullRequestRef.platform} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the platform named {@code id} (any case), or empty */
    public static Optional<Platform> fromId(String id) {
        if (id != null) {
            for (Platform p : values()) {
                if (p.id().equalsIgnoreCase(id.trim())) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** @return the names of all platforms, for messages */
    public static String names() {
        return "gitea, github, gitlab";
    }

    /**
     * @return the path the REST API lives under on the platform's host: {@code /api/v1} (Gitea),
     *         {@code /api/v4} (GitLab), empty for GitHub (whose API root is a host of its own,
     *         {@code api.github.com}, or {@code /api/v3} on GitHub Enterprise, given whole)
     */
    public String apiPath() {
        return switch (this) {
            case GITHUB -> "";
            case GITEA -> "/api/v1";
            case GITLAB -> "/api/v4";
        };
    }

    /**
     * @return {@code apiUrl} without a trailing slash, with {@link #apiPath()} appended unless it already
     *         ends with it, so that both {@code https://gitea.example} and {@code https://gitea.example/api/v1}
     *         name the same API root
     * @throws IllegalArgumentException when {@code apiUrl} is missing
     */
    public String apiRoot(String apiUrl) {
        if (apiUrl == null || apiUrl.isBlank()) {
            throw new IllegalArgumentException("no API URL is given for the " + id() + " repository");
        }
        String base = apiUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return apiPath().isEmpty() || base.endsWith(apiPath()) ? base : base + apiPath();
    }

    /**
     * The API root of a repository cloned from {@code clone} (an http(s) URL): {@code https://api.github.com}
     * for github.com, else the clone URL's origin with {@code /api/v3} (GitHub Enterprise), {@code /api/v1}
     * (Gitea) or {@code /api/v4} (GitLab).
     */
    public String defaultApiUrl(URI clone) {
        if (this == GITHUB && "github.com".equalsIgnoreCase(clone.getHost())) {
            return "https://api.github.com";
        }
        String origin = clone.getScheme().toLowerCase(Locale.ROOT) + "://" + clone.getRawAuthority();
        return origin + (this == GITHUB ? "/api/v3" : apiPath());
    }

    /** @return an example API root, for messages asking for one */
    public String apiUrlExample() {
        return switch (this) {
            case GITHUB -> "https://api.github.com or https://HOST/api/v3 for GitHub Enterprise";
            case GITEA -> "https://HOST/api/v1";
            case GITLAB -> "https://HOST/api/v4";
        };
    }

    /**
     * @return the headers of a REST request authenticated with {@code token} (none when it is null): Gitea
     *         {@code Authorization: token X}, GitHub {@code Authorization: Bearer X} with its media type and
     *         API version, GitLab {@code PRIVATE-TOKEN: X}; and the JSON {@code Accept} header
     */
    public Map<String, String> requestHeaders(String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (this) {
            case GITHUB -> {
                headers.put("Accept", "application/vnd.github+json");
                headers.put("X-GitHub-Api-Version", GITHUB_API_VERSION);
                if (token != null) {
                    headers.put("Authorization", "Bearer " + token);
                }
            }
            case GITEA -> {
                headers.put("Accept", "application/json");
                if (token != null) {
                    headers.put("Authorization", "token " + token);
                }
            }
            case GITLAB -> {
                headers.put("Accept", "application/json");
                if (token != null) {
                    headers.put("PRIVATE-TOKEN", token);
                }
            }
        }
        return headers;
    }

    /**
     * The user name each platform expects next to a token in git's HTTP basic authentication: GitHub
     * {@code x-access-token} (installation and personal tokens), GitLab {@code oauth2} (OAuth tokens need
     * it; personal and project tokens accept any name), Gitea any name (current releases take the password
     * as the token and ignore the name).
     */
    public String gitUsername() {
        return switch (this) {
            case GITHUB -> "x-access-token";
            case GITLAB -> "oauth2";
            case GITEA -> "drep";
        };
    }
}
