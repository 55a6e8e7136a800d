package dev.drep.scanner.reservation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Body of {@code POST /api/repositories/{repository}/reservations}.
 *
 * @param holder               who reserves (required, free-form)
 * @param paths                path patterns in gitignore syntax, relative to the repository root (required)
 * @param exclusive            exclusive (default) or shared
 * @param ttlSeconds           lease length; default 3600, between 60 and 604800
 * @param reason               why, shown to whoever runs into the reservation
 * @param allowMatchEverything accept patterns such as {@code **} that reserve the whole repository
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReserveRequest(String holder, List<String> paths, Boolean exclusive, Integer ttlSeconds, String reason,
        Boolean allowMatchEverything) {
}
