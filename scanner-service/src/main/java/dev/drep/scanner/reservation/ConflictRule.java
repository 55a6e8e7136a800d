package dev.drep.scanner.reservation;

import java.time.Instant;

/**
 * When two reservations whose patterns overlap conflict. The rule is the original system's:
 * <ul>
 *   <li>an exclusive reservation conflicts with anything of another holder;
 *   <li>shared against shared never conflicts;
 *   <li>a holder's own reservations never conflict with each other;
 *   <li>released or expired reservations never conflict.
 * </ul>
 * A change (a commit, a push, a pull request) counts as a shared claim on the paths it touches: it is only
 * stopped by another holder's exclusive reservation.
 */
public final class ConflictRule {

    private ConflictRule() {
    }

    /**
     * @param requester the holder asking, or null for an unknown identity (then every holder is another holder)
     * @param exclusive whether the request is exclusive
     * @param existing  a reservation whose pattern overlaps the request's
     * @param now       the time the question is asked
     * @return whether the request conflicts with {@code existing}
     */
    public static boolean conflicts(String requester, boolean exclusive, Reservation existing, Instant now) {
        if (!existing.isActive(now)) {
            return false;
        }
        if (existing.holder().equals(requester)) {
            return false;
        }
        return exclusive || existing.exclusive();
    }
}
