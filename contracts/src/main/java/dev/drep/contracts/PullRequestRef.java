package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A pull (merge) request on a code-hosting platform, as the publisher needs it to post a review.
 *
 * @param platform   {@code gitea}, {@code github} or {@code gitlab}
 * @param apiUrl     the platform's API base URL, e.g. {@code https://api.github.com}
 * @param repository the repository's full name on the platform, e.g. {@code acme/docs} (GitLab: the project path)
 * @param projectId  GitLab's numeric project id when known, else null
 * @param number     the pull request number (GitLab: the merge request iid)
 * @param baseSha    the base commit of the diff being reviewed
 * @param startSha   GitLab's {@code diff_refs.start_sha} (else the base)
 * @param headSha    the head commit being reviewed
 * @param tokenRef   the name of the configured token to post with (never the token itself)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PullRequestRef(String platform, String apiUrl, String repository, String projectId, int number,
        String baseSha, String startSha, String headSha, String tokenRef) {
}
