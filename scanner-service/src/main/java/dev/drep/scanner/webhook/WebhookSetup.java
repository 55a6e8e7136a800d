package dev.drep.scanner.webhook;

/**
 * What to enter in a platform's webhook form for one registered repository.
 *
 * @param path            the payload URL's path; prefix it with the scanner's public address
 *                        (e.g. {@code https://drep.example.com})
 * @param secret          the repository's webhook secret (GitHub and Gitea: "Secret", GitLab: "Secret token");
 *                        shown in the registration answer and by {@code GET /api/repositories/{id}/webhook}, else null
 * @param secretAvailable false when the scanner has no {@code drep.scanner.webhook.secret-key}: deliveries are
 *                        refused until it is set
 * @param signatureHeader the header the platform signs deliveries with
 * @param contentType     the content type to choose
 */
public record WebhookSetup(String path, String secret, boolean secretAvailable, String signatureHeader, String contentType) {
}
