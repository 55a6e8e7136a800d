package dev.drep.scanner.reservation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of file reservations (prefix {@code drep.reservations}); every one has a default, so nothing
 * needs to be configured. Durations use ISO-8601 ({@code PT1H}) or Quarkus' short form ({@code 1h}).
 */
@ConfigMapping(prefix = "drep.reservations")
public interface ReservationConfig {

    /** How long a reservation lasts when the request names no TTL, and how far a renewal extends by default. */
    @WithDefault("PT1H")
    Duration defaultTtl();

    /** The shortest TTL a request may ask for; shorter leases would expire between two guard checks. */
    @WithDefault("PT60S")
    Duration minTtl();

    /** The longest TTL a request may ask for; a renewal never pushes an expiry further than this from now. */
    @WithDefault("P7D")
    Duration maxTtl();

    /**
     * How long a holder may stay silent in a repository (no reserve, renew, release or guard check) before
     * its reservations there count as stale and may be force-released by someone else.
     */
    @WithDefault("PT30M")
    Duration idleThreshold();

    /** How often expired reservations are marked as such and old ones deleted. */
    @WithDefault("PT60S")
    Duration sweepInterval();

    /** How long ended (released, force-released, expired) reservations stay listable before the sweep deletes them. */
    @WithDefault("P7D")
    Duration retention();

    /** The longest pattern or path accepted, in characters. */
    @WithDefault("1024")
    int maxPatternLength();

    /** The most patterns one reserve, renew or release request may name (at most 32768: one stored set's size). */
    @WithDefault("500")
    int maxPatternsPerRequest();

    /** The most paths one check request may name; the guard sends larger commits in several requests. */
    @WithDefault("10000")
    int maxPathsPerCheck();

    /** The longest holder name, in characters. */
    @WithDefault("200")
    int maxHolderLength();

    /** The longest reason, in characters. */
    @WithDefault("1000")
    int maxReasonLength();

    /** The longest repository key, in characters. */
    @WithDefault("300")
    int maxRepositoryLength();

    /**
     * Review findings per conflicting reservation; beyond it one more finding says how many changed files
     * were left out, so a change under a broad reservation does not bury the rest of the review.
     */
    @WithDefault("25")
    int maxFindingsPerReservation();

    /**
     * Glob-against-glob conflicts per reserve request for which an example path both patterns match is
     * computed (each is a shortest-path search); literal paths are their own example and always shown.
     */
    @WithDefault("10")
    int maxExamplePaths();

    /** How long planning waits for the reservation check of a review before going on without it (and saying so). */
    @WithDefault("PT10S")
    Duration reviewTimeout();
}
