package dev.drep.scanner.reservation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Body of {@code POST /api/repositories/{repository}/reservations/renew}. Names the holder's reservations by id,
 * by pattern, or both.
 *
 * @param holder     whose reservations (required; only the holder renews)
 * @param ids        reservation ids
 * @param patterns   patterns of the holder's reservations
 * @param ttlSeconds how much to extend by; default 3600, between 60 and 604800
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RenewRequest(String holder, List<String> ids, List<String> patterns, Integer ttlSeconds) {
}
