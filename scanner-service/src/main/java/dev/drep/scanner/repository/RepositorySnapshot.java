package dev.drep.scanner.repository;

import dev.drep.core.platform.Platform;
import java.util.UUID;

/**
 * A registered repository's values, copied out of the database session so that blocking git work on a
 * worker thread can use them.
 *
 * @param id            registration id
 * @param platform      where it is hosted
 * @param fullName      owner/name (GitLab: the project path)
 * @param cloneUrl      git URL without credentials
 * @param apiUrl        the platform's API root (e.g. {@code https://api.github.com}, {@code https://host/api/v1})
 * @param projectId     GitLab's numeric project id, or null
 * @param defaultBranch the branch scans read
 * @param tokenRef      the name of the token secret, or null for anonymous access
 */
public record RepositorySnapshot(UUID id, Platform platform, String fullName, String cloneUrl, String apiUrl,
        String projectId, String defaultBranch, String tokenRef) {
}
