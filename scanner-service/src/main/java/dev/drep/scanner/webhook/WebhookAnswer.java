package dev.drep.scanner.webhook;

/**
 * The body of every webhook answer, shown in the platform's delivery log.
 *
 * @param status  {@code queued} (202, a job was created), {@code duplicate} (200, the delivery was handled
 *                before, or the pull request's head was reviewed or is being reviewed already), {@code ignored}
 *                (200, nothing to do), {@code answered} (200, a command in a comment was answered; 202 and
 *                {@code queued} when it started a review)
 * @param jobId   the job created for the delivery, or null
 * @param message for a person
 */
public record WebhookAnswer(String status, String jobId, String message) {
    static WebhookAnswer queued(String jobId, String message) {
        return new WebhookAnswer("queued", jobId, message);
    }

    static WebhookAnswer duplicate(String jobId) {
        return new WebhookAnswer("duplicate", jobId, "this delivery was received before; nothing new was queued");
    }

    static WebhookAnswer sameHead(String jobId, WebhookEvent.Review review) {
        return new WebhookAnswer("duplicate", jobId, "pull request #" + review.number() + " at " + review.headSha()
                + " was reviewed or is being reviewed already; nothing new was queued");
    }

    static WebhookAnswer ignored(String message) {
        return new WebhookAnswer("ignored", null, message);
    }
}
