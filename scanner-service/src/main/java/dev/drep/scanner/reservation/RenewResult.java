package dev.drep.scanner.reservation;

import dev.drep.contracts.ReservationView;
import java.util.List;

/**
 * Answer of a renew.
 *
 * @param renewed    the reservations extended, with their new expiry
 * @param notRenewed what was named but not extended, and why (expired and released ones are never revived)
 */
public record RenewResult(List<ReservationView> renewed, List<Unchanged> notRenewed) {
}
