package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Body of {@code POST /api/reviews} on the scanner. Either the local form ({@code repository} is a path, with
 * {@code base}, {@code head}, {@code outputDir}), or a platform pull request: {@code number} with
 * {@code platform} and {@code repository} (the full name), or with {@code repositoryId} (a registration).
 *
 * @param repository   local form: a path to a git repository; pull request form: owner/name
 * @param base         local form: base revision (default: merge-base with the default branch, else head's parent)
 * @param head         local form: head revision (default {@code HEAD})
 * @param outputDir    local form: absolute folder for review.md, review.json and review.sarif
 * @param platform     pull request form: {@code gitea}, {@code github} or {@code gitlab}
 * @param repositoryId pull request form: id of a registered repository (instead of platform and repository)
 * @param number       pull request form: the pull request number (GitLab: merge request iid)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReviewRequest(String repository, String base, String head, String outputDir, String platform,
        String repositoryId, Integer number) {

    /** The local form. */
    public ReviewRequest(String repository, String base, String head, String outputDir) {
        this(repository, base, head, outputDir, null, null, null);
    }

    /** @return true for the pull request form */
    @JsonIgnore
    public boolean isPullRequest() {
        return number != null || platform != null || repositoryId != null;
    }
}
