package dev.drep.scanner.webhook;

/** What a verified delivery asks drep to do. */
public sealed interface WebhookEvent {

    /**
     * Review a pull (merge) request at {@code headSha}.
     *
     * @param number  pull request number (GitLab: iid)
     * @param baseRef the target branch
     * @param baseSha the target branch tip the platform reported, or null (GitLab does not send it)
     * @param headSha the head commit
     */
    record Review(int number, String baseRef, String baseSha, String headSha, String author) implements WebhookEvent {
    }

    /**
     * Scan the default branch up to {@code headSha}.
     *
     * @param branch  the default branch
     * @param headSha the pushed commit
     */
    record Scan(String branch, String headSha) implements WebhookEvent {
    }

    /**
     * Nothing to do.
     *
     * @param reason for the platform's delivery log
     */
    record Ignored(String reason) implements WebhookEvent {
    }
}
