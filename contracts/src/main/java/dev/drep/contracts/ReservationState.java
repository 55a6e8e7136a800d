package dev.drep.contracts;

/** Where a reservation stands. Only {@link #ACTIVE} reservations take part in conflicts. */
public enum ReservationState {
    /** Not released and not expired. */
    ACTIVE,
    /** Its expiry has passed; it can no longer be renewed. */
    EXPIRED,
    /** Released by its holder. */
    RELEASED,
    /** Released by someone else because it was stale. */
    FORCE_RELEASED
}
