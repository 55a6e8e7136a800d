package dev.drep.scanner.repository;

/**
 * Body of {@code POST /api/repositories}.
 *
 * @param platform         {@code gitea}, {@code github} or {@code gitlab} (required)
 * @param fullName         owner/name; for GitLab the full project path, groups included (required)
 * @param cloneUrl         the HTTPS (or file) git URL, without credentials (required)
 * @param apiUrl           the API root: {@code https://api.github.com}, {@code https://HOST/api/v3} (GitHub
 *                         Enterprise), {@code https://HOST/api/v1} (Gitea), {@code https://HOST/api/v4} (GitLab);
 *                         derived from the clone URL's host when left out
 * @param projectId        GitLab's numeric project id (optional)
 * @param defaultBranch    default {@code main}
 * @param webhookSecretRef no longer accepted (refused with 400): each repository gets its own webhook secret
 * @param tokenRef         name of the configured token for fetching and posting (optional for public repositories)
 */
public record RepositoryRegistration(String platform, String fullName, String cloneUrl, String apiUrl,
        String projectId, String defaultBranch, String webhookSecretRef, String tokenRef) {
}
