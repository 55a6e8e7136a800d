package dev.drep.scanner.reservation;

import dev.drep.paths.InvalidPatternException;
import dev.drep.paths.MatchOptions;
import dev.drep.paths.PathPattern;
import dev.drep.paths.PatternPolicy;
import dev.drep.paths.RepositoryPath;
import dev.drep.scanner.api.ApiError;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Validates what reservation requests carry and turns it into canonical values; every refusal is a 400 naming
 * the field, the entry and what to write instead (unknown ids are 404s).
 */
@ApplicationScoped
public class ReservationInput {
    private final ReservationConfig config;
    private final ReservationMatching matching;
    private final PatternPolicy strictPolicy;
    private final PatternPolicy lenientPolicy;
    /** The configured limit, at most what one stored set holds. */
    private final int maxPatterns;

    public ReservationInput(ReservationConfig config, ReservationMatching matching) {
        this.config = config;
        this.matching = matching;
        this.maxPatterns = Math.min(config.maxPatternsPerRequest(), ReservationStore.MAX_MEMBERS);
        this.strictPolicy = new PatternPolicy(MatchOptions.CASE_SENSITIVE,
                Math.min(config.maxPatternLength(), PathPattern.MAX_LENGTH), false);
        // "matches everything" is checked here, on the cached pattern, so that its automaton is reused
        this.lenientPolicy = strictPolicy.allowingMatchEverything();
    }

    /** @return the repository key as given; refuses blank, overlong or control characters */
    public String repository(String key) {
        if (key == null || key.isBlank()) {
            throw ApiError.badRequest("the repository key in the path is empty; use e.g."
                    + " /api/repositories/acme%2Fdocs/reservations");
        }
        if (key.length() > config.maxRepositoryLength()) {
            throw ApiError.badRequest("the repository key is " + key.length() + " characters long; the limit is "
                    + config.maxRepositoryLength());
        }
        if (hasControlCharacter(key)) {
            throw ApiError.badRequest("the repository key contains a control character");
        }
        return key;
    }

    /** @return the holder, trimmed; refuses a missing one */
    public String holder(String holder) {
        if (holder == null || holder.isBlank()) {
            throw ApiError.badRequest("field 'holder' is required: who holds the reservation, e.g. an agent name"
                    + " or an e-mail address");
        }
        return optionalHolder(holder);
    }

    /** @return the holder, trimmed, or null when none was given */
    public String optionalHolder(String holder) {
        if (holder == null || holder.isBlank()) {
            return null;
        }
        String trimmed = holder.strip();
        if (trimmed.length() > config.maxHolderLength()) {
            throw ApiError.badRequest("field 'holder' is " + trimmed.length() + " characters long; the limit is "
                    + config.maxHolderLength());
        }
        if (hasControlCharacter(trimmed)) {
            throw ApiError.badRequest("field 'holder' contains a control character");
        }
        return trimmed;
    }

    /** @return the reason, trimmed, or null when blank */
    public String reason(String reason, String field) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        String trimmed = reason.strip();
        if (trimmed.length() > config.maxReasonLength()) {
            throw ApiError.badRequest("field '" + field + "' is " + trimmed.length() + " characters long; the limit is "
                    + config.maxReasonLength());
        }
        return trimmed;
    }

    /** @return the TTL asked for, or the default; refuses values outside the configured range */
    public Duration ttl(Integer seconds) {
        if (seconds == null) {
            return config.defaultTtl();
        }
        long min = config.minTtl().toSeconds();
        long max = config.maxTtl().toSeconds();
        if (seconds < min || seconds > max) {
            throw ApiError.badRequest("field 'ttlSeconds' must be between " + min + " and " + max + " seconds, got "
                    + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * Validates the patterns of a reserve request.
     *
     * @param allowMatchEverything whether patterns such as {@code **} that match every path are accepted
     * @param warnings             receives a note for each accepted whole-repository pattern and each pattern
     *                             that looks like a directory but only names the path itself
     * @return the distinct patterns in the given order
     */
    public List<CandidatePattern> patterns(List<String> paths, boolean allowMatchEverything, List<String> warnings) {
        requireEntries(paths, "paths", maxPatterns,
                "path patterns to reserve, e.g. [\"src/app.py\", \"docs/**\"]");
        Set<String> seen = new LinkedHashSet<>();
        List<CandidatePattern> candidates = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            String raw = paths.get(i);
            String where = "field 'paths', entry " + (i + 1) + ": ";
            if (raw == null) {
                throw ApiError.badRequest(where + "null is not a pattern");
            }
            String text = canonical(raw);
            if (!seen.add(text)) {
                continue;
            }
            boolean single = CandidatePattern.isSinglePath(text);
            PathPattern compiled;
            try {
                compiled = matching.remember(lenientPolicy.validate(text));
                if (!single && compiled.matchesEverything()) {
                    if (!allowMatchEverything) {
                        throw ApiError.badRequest(where + "pattern \"" + text + "\" matches every path in the"
                                + " repository; name the directories or files you need, or send"
                                + " \"allowMatchEverything\": true to reserve the whole repository");
                    }
                    warnings.add("pattern \"" + text + "\" matches every path: it reserves the whole repository");
                }
            } catch (InvalidPatternException e) {
                throw ApiError.badRequest(where + e.getMessage());
            }
            candidates.add(new CandidatePattern(text, compiled, single));
        }
        return candidates;
    }

    /** @return the canonical texts of patterns named in a renew or release request (not compiled: only compared) */
    public List<String> patternTexts(List<String> patterns) {
        if (patterns == null || patterns.isEmpty()) {
            return List.of();
        }
        if (patterns.size() > maxPatterns) {
            throw ApiError.badRequest("field 'patterns' has " + patterns.size() + " entries; the limit is "
                    + maxPatterns);
        }
        Set<String> texts = new LinkedHashSet<>();
        for (int i = 0; i < patterns.size(); i++) {
            String raw = patterns.get(i);
            if (raw == null || raw.isBlank()) {
                throw ApiError.badRequest("field 'patterns', entry " + (i + 1) + " is empty");
            }
            texts.add(canonical(raw));
        }
        return List.copyOf(texts);
    }

    /**
     * Validates the file paths of a check: relative to the repository root, no {@code ..}, within the length
     * limit. Paths are literal (glob characters in them are just characters).
     *
     * @return the normalized, distinct paths in the given order
     */
    public List<String> paths(List<String> paths) {
        requireEntries(paths, "paths", config.maxPathsPerCheck(), "file paths relative to the repository root,"
                + " e.g. [\"src/app.py\"]");
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < paths.size(); i++) {
            String raw = paths.get(i);
            String where = "field 'paths', entry " + (i + 1) + ": ";
            if (raw == null || raw.isEmpty()) {
                throw ApiError.badRequest(where + "the path is empty");
            }
            if (raw.length() > config.maxPatternLength()) {
                throw ApiError.badRequest(where + "the path is " + raw.length() + " characters long; the limit is "
                        + config.maxPatternLength());
            }
            if (raw.indexOf('\0') >= 0) {
                throw ApiError.badRequest(where + "the path contains a NUL character");
            }
            if (isAbsolute(raw)) {
                throw ApiError.badRequest(where + "\"" + raw + "\" is an absolute path; give paths relative to the"
                        + " repository root, e.g. src/app.py");
            }
            String normal = RepositoryPath.normalize(raw);
            for (String segment : normal.split("/")) {
                if (segment.equals("..")) {
                    throw ApiError.badRequest(where + "\"" + raw + "\" has a '..' segment; paths cannot leave the"
                            + " repository");
                }
            }
            if (normal.isEmpty()) {
                throw ApiError.badRequest(where + "\"" + raw + "\" names the repository root, not a file");
            }
            distinct.add(normal);
        }
        return List.copyOf(distinct);
    }

    /** @return the ids as UUIDs; a text that is not a UUID cannot name a reservation, so it is a 404 */
    public List<UUID> ids(List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        if (ids.size() > maxPatterns) {
            throw ApiError.badRequest("field 'ids' has " + ids.size() + " entries; the limit is "
                    + maxPatterns);
        }
        Set<UUID> parsed = new LinkedHashSet<>();
        for (String id : ids) {
            parsed.add(id(id));
        }
        return List.copyOf(parsed);
    }

    /** @return the id as a UUID, or a 404 naming it */
    public UUID id(String id) {
        try {
            return UUID.fromString(id == null ? "" : id.strip());
        } catch (IllegalArgumentException e) {
            throw ApiError.notFound("no reservation with id '" + id + "' (reservation ids are UUIDs)");
        }
    }

    /**
     * Git drops unescaped trailing spaces of a pattern; storing the text without them keeps {@code "a.py "}
     * and {@code "a.py"} from being two different reservations of the same path.
     */
    static String canonical(String pattern) {
        int end = pattern.length();
        while (end > 0 && pattern.charAt(end - 1) == ' ') {
            int backslashes = 0;
            for (int i = end - 2; i >= 0 && pattern.charAt(i) == '\\'; i--) {
                backslashes++;
            }
            if (backslashes % 2 == 1) {
                break; // "\ " is an escaped, significant space
            }
            end--;
        }
        return pattern.substring(0, end);
    }

    private static void requireEntries(List<String> entries, String field, int max, String example) {
        if (entries == null || entries.isEmpty()) {
            throw ApiError.badRequest("field '" + field + "' is required and must not be empty: " + example);
        }
        if (entries.size() > max) {
            throw ApiError.badRequest("field '" + field + "' has " + entries.size() + " entries; the limit is " + max);
        }
    }

    private static boolean isAbsolute(String path) {
        if (path.startsWith("/") || path.startsWith("\\") || path.startsWith("~")) {
            return true;
        }
        return path.length() >= 2 && path.charAt(0) < 128 && Character.isLetter(path.charAt(0))
                && path.charAt(1) == ':' && (path.length() == 2 || path.charAt(2) == '/' || path.charAt(2) == '\\');
    }

    private static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
