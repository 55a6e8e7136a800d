package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A reservation as the API shows it.
 *
 * @param id          its id, for renew, release and force-release
 * @param repository  the repository key
 * @param holder      who holds it
 * @param pattern     the path pattern (gitignore syntax)
 * @param exclusive   exclusive or shared
 * @param reason      why it was taken, or null
 * @param createdAt   when it was taken
 * @param renewedAt   when it was taken or last renewed
 * @param expiresAt   when it ends unless renewed
 * @param state       ACTIVE, EXPIRED, RELEASED or FORCE_RELEASED
 * @param stale       whether it may be force-released now (its holder has been silent long enough)
 * @param endedAt     when it was released or swept; null while active
 * @param endedBy     who ended it; null while active
 * @param endNote     the note of a force-release, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReservationView(String id, String repository, String holder, String pattern, boolean exclusive,
        String reason, Instant createdAt, Instant renewedAt, Instant expiresAt, ReservationState state, boolean stale,
        Instant endedAt, String endedBy, String endNote) {
}
