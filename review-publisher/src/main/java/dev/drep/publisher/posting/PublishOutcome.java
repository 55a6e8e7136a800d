package dev.drep.publisher.posting;

import java.time.Instant;
import java.util.List;

/** How posting a review ended. */
public sealed interface PublishOutcome {

    /**
     * The review is posted.
     *
     * @param outputs where it went, for people (files, comment URLs)
     */
    record Published(List<String> outputs) implements PublishOutcome {
        public Published {
            outputs = outputs == null ? List.of() : List.copyOf(outputs);
        }
    }

    /**
     * The platform is unavailable or rate limited: keep the review stored and try again later. What was
     * already posted is recorded, so the next try continues where this one stopped.
     *
     * @param notBefore when to try again
     * @param reason    why, for the logs and the job row (never a token)
     */
    record Deferred(Instant notBefore, String reason) implements PublishOutcome {
    }

    /**
     * The review cannot be posted (no token, authentication, permissions, unsupported target).
     *
     * @param message for people (never a token)
     */
    record Failed(String message) implements PublishOutcome {
    }
}
