package dev.drep.scanner.platform;

/**
 * A pull (merge) request as its platform's API describes it.
 *
 * @param number   the number (GitLab: iid)
 * @param open     whether it is open
 * @param baseRef  the branch it targets
 * @param baseSha  the tip of that branch the platform compares with (GitLab: {@code diff_refs.start_sha}), or null
 * @param headSha  its head commit
 * @param author   its author's login ({@code user.login}; GitLab {@code author.username}), or null
 */
public record PullRequestInfo(int number, boolean open, String baseRef, String baseSha, String headSha,
        String author) {
}
