package dev.drep.publisher.posting;

import dev.drep.contracts.PullRequestRef;
import java.util.Locale;

/**
 * Keys of the places drep posts to, under which the ledger keeps summary ids and posted fingerprints:
 * a pull request for inline comments and the summary, a repository for the issues of scans.
 */
public final class ScopeKeys {
    private ScopeKeys() {
    }

    /** @return {@code platform|api url|repository|pr|number} */
    public static String pullRequest(PullRequestRef ref) {
        return repository(ref) + "|pr|" + ref.number();
    }

    /** @return {@code platform|api url|repository|issues} */
    public static String issues(PullRequestRef ref) {
        return repository(ref) + "|issues";
    }

    /** @return e.g. {@code github acme/docs#12}, for messages */
    public static String describe(PullRequestRef ref) {
        return ref.platform() + " " + ref.repository() + (ref.number() > 0 ? "#" + ref.number() : "");
    }

    /** @return {@code platform|api url|repository}: the repository's learnings are kept under it */
    public static String repositoryKey(PullRequestRef ref) {
        return repository(ref);
    }

    private static String repository(PullRequestRef ref) {
        String api = ref.apiUrl() == null ? "" : ref.apiUrl().strip().replaceAll("/+$", "").toLowerCase(Locale.ROOT);
        // repository names are case-insensitive on all three platforms; the path is stabler than a GitLab id
        String repo = ref.repository() != null && !ref.repository().isBlank()
                ? ref.repository().toLowerCase(Locale.ROOT) : "project:" + ref.projectId();
        return ref.platform() + "|" + api + "|" + repo;
    }
}
