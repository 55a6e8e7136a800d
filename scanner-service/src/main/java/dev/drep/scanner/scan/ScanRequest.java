package dev.drep.scanner.scan;

/**
 * Body of {@code POST /api/scans}: scan a registered repository's default branch.
 *
 * @param repositoryId id of the registration; or give {@code platform} and {@code repository}
 * @param platform     {@code gitea}, {@code github} or {@code gitlab}
 * @param repository   the repository's full name
 * @param full         true to read every file, not only those changed since the last finished scan
 */
public record ScanRequest(String repositoryId, String platform, String repository, Boolean full) {
}
