package dev.drep.scanner.fetch;

import dev.drep.core.platform.Platform;

/** The git refs a platform publishes pull request heads and branches under. */
public final class PlatformRefs {
    private PlatformRefs() {
    }

    /** @return {@code refs/pull/N/head} (GitHub, Gitea) or {@code refs/merge-requests/N/head} (GitLab) */
    public static String pullRequestHead(Platform platform, int number) {
        return platform == Platform.GITLAB ? "refs/merge-requests/" + number + "/head" : "refs/pull/" + number + "/head";
    }

    /** @return {@code refs/heads/<branch>} */
    public static String branch(String branch) {
        return "refs/heads/" + branch;
    }

    /** @return N of {@code refs/pull/N/head} or {@code refs/merge-requests/N/head}, or null for another ref */
    public static Integer pullRequestNumber(String ref) {
        String rest = ref.startsWith("refs/pull/") ? ref.substring("refs/pull/".length())
                : ref.startsWith("refs/merge-requests/") ? ref.substring("refs/merge-requests/".length()) : null;
        if (rest == null || !rest.endsWith("/head")) {
            return null;
        }
        try {
            return Integer.valueOf(rest.substring(0, rest.length() - "/head".length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
