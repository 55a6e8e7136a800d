package dev.drep.scanner.repository;

import dev.drep.scanner.webhook.WebhookSetup;
import java.time.Instant;

/**
 * A registered repository as the API shows it. The token reference is a name; whether it resolves is
 * shown so that an operator sees a missing Secret before the first fetch fails.
 *
 * @param id                      registration id
 * @param platform                {@code gitea}, {@code github} or {@code gitlab}
 * @param fullName                owner/name (GitLab: the project path)
 * @param cloneUrl                git URL (never with credentials)
 * @param apiUrl                  the platform's API root
 * @param projectId               GitLab's numeric project id, or null
 * @param defaultBranch           the branch pushes to which trigger a scan
 * @param webhook                 the webhook URL's path and the header it is signed with; its secret only in
 *                                the registration answer
 * @param tokenRef                name of the API/git token
 * @param tokenConfigured         whether that name resolves to a value
 * @param lastScannedCommit       head of the last finished repository scan, or null
 * @param createdAt               when it was registered
 */
public record RepositoryView(String id, String platform, String fullName, String cloneUrl, String apiUrl,
        String projectId, String defaultBranch, WebhookSetup webhook,
        String tokenRef, boolean tokenConfigured, String lastScannedCommit, Instant createdAt) {
}
