package dev.drep.scanner.reservation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Body of {@code POST /api/repositories/{repository}/reservations}.
 *
 * @param holder               who reserves (required, free-form)
 * <p>Patterns have git's meaning: a pattern covers a path when git would ignore that path under a
 * {@code .gitignore} holding the pattern, that is when it matches the path or one of its parent directories.
 * {@code src/api} covers {@code src/api/handler.py}, {@code src/*} covers {@code src/a/b.py}, {@code build}
 * covers {@code build/x.o} (and {@code lib/build/x.o}); a trailing slash ({@code build/}) still means
 * directories only. Two reservations overlap when some path is covered by both. Reservations made before this
 * rule keep their text and now mean what git means by it, so {@code src} reserves what is below {@code src} too.
 *
 * @param paths                path patterns in gitignore syntax, relative to the repository root (required)
 * @param exclusive            exclusive (default) or shared
 * @param ttlSeconds           lease length; default 3600, between 60 and 604800
 * @param reason               why, shown to whoever runs into the reservation
 * @param allowMatchEverything accept patterns such as {@code **} that reserve the whole repository
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReserveRequest(String holder, List<String> paths, Boolean exclusive, Integer ttlSeconds, String reason,
        Boolean allowMatchEverything) {

    /** What a pattern reserves, for the API's documentation. */
    static final String PATTERN_MEANING = "Patterns use gitignore syntax and git's meaning: a pattern covers a path when"
            + " it matches the path or one of its parent directories, as a .gitignore holding it would ignore the path"
            + " (src/api covers src/api/handler.py, src/* covers src/a/b.py, build covers build/x.o; build/ covers"
            + " directories named build and what is below them). Two patterns conflict when some path is covered by"
            + " both. Reservations made before this rule keep their text; their meaning widened to git's.";
}
