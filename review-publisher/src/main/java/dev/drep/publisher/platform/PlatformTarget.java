package dev.drep.publisher.platform;

import dev.drep.contracts.PullRequestRef;
import java.time.Duration;

/**
 * A pull request (or, for scans, a repository) together with the resolved token to post with and how
 * long a rate limit may be waited out in place.
 *
 * @param ref     where to post
 * @param token   the secret resolved from {@code ref.tokenRef()}; never logged ({@link #toString()} hides it)
 * @param maxWait longest rate-limit wait done in place before giving the work back as "retry later"
 * @param timeout connect and response timeout of each request
 */
public record PlatformTarget(PullRequestRef ref, String token, Duration maxWait, Duration timeout) {

    /** @return the head commit to comment on and set the status of */
    public String headSha() {
        return ref.headSha();
    }

    @Override
    public String toString() {
        // records print every component; this one holds a secret
        return "PlatformTarget[" + ref.platform() + " " + ref.repository() + "#" + ref.number() + ", token=***]";
    }
}
