package dev.drep.publisher.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Configuration of posting reviews to code-hosting platforms ({@code drep.publisher.*}, environment
 * {@code DREP_PUBLISHER_*}). Tokens are not here: they are {@code drep.secrets.<tokenRef>} (see
 * {@link TokenResolver}).
 */
@ConfigMapping(prefix = "drep.publisher")
public interface PublisherConfig {

    /** Retries of a platform that is unavailable or rate limited. */
    Retry retry();

    /** HTTP client settings. */
    Http http();

    /** The claim a replica holds on a review while it posts it. */
    Claim claim();

    /** Commit status / check run settings. */
    Status status();

    /** GitHub settings. */
    GitHub github();

    /** Gitea settings. */
    Gitea gitea();

    /** GitLab settings. */
    GitLab gitlab();

    /** Metrics settings (docs/observability.md). */
    Metrics metrics();

    /** How long the records of finished jobs are kept (docs/architecture.md, "Retention"). */
    Retention retention();

    /** The purge of the records of finished jobs. */
    interface Retention {
        /**
         * How long a finished job (published or failed, its final event sent) is kept with its received results and
         * commit status, from its end; a job still gathering results this long after it was registered was
         * abandoned and goes too. Older ones are deleted every hour, in batches.
         */
        @WithDefault("30d")
        Duration jobs();

        /**
         * How long an answer to a command ({@code command_reply}) is kept after it was posted; one never posted goes
         * this long after it was recorded. Longer than the scanner keeps the command itself (14 days), so a comment
         * redelivered late is still answered once.
         */
        @WithDefault("30d")
        Duration commandReplies();

        /** How many jobs one retention statement deletes; the purge repeats until a batch comes back short. */
        @WithDefault("500")
        int batchSize();
    }

    /** The gauges of pending work. */
    interface Metrics {
        /** How often the gauges of pending work are read from the database. */
        @WithDefault("15s")
        Duration refreshInterval();
    }

    /** How a platform that is down or rate limited is retried. */
    interface Retry {
        /** Tries in a row (with backoff) before a review is deferred to the scheduled retry. */
        @WithDefault("3")
        int attempts();

        /** Pause after the first failed try; doubled after each further one. */
        @WithDefault("2s")
        Duration backoff();

        /** Longest rate-limit wait done in place; a longer one defers the review until the limit resets. */
        @WithDefault("60s")
        Duration maxWait();

        /** How often the scheduled task looks for deferred reviews that are due. */
        @WithDefault("30s")
        Duration interval();

        /** Delay before the first deferred retry of an unavailable platform; doubled per deferral. */
        @WithDefault("1m")
        Duration deferral();

        /** Longest delay between two deferred retries. */
        @WithDefault("30m")
        Duration maxDeferral();

        /** Deferred retries after which the job fails (48 is about a day at the default delays). */
        @WithDefault("48")
        int maxDeferrals();
    }

    /** The claim on a stored review being posted (docs/architecture.md, "Delivery guarantees"). */
    interface Claim {
        /**
         * How long a claim lasts unless renewed; renewed every third of it while posting. A replica that dies
         * mid-post leaves a claim another replica takes over after at most this long.
         */
        @WithDefault("2m")
        Duration lease();
    }

    /** The HTTP client of the adapters. */
    interface Http {
        /** Connect and response timeout of one platform request. */
        @WithDefault("30s")
        Duration timeout();

        /** Pages read at most when listing comments or issues (looking for drep's markers). */
        @WithDefault("20")
        int maxPages();
    }

    /** The commit status (Gitea, GitLab) or check run (GitHub) drep sets on the head commit. */
    interface Status {
        /** Status context / check run name, the name branch protection rules refer to. */
        @WithDefault("drep")
        String context();

        /** Timeout of the "pending" status set while the scanner registers a job (it waits for it). */
        @WithDefault("5s")
        Duration pendingTimeout();
    }

    /** GitHub. */
    interface GitHub {
        /** Longest comment, review or issue body posted; GitHub rejects bodies over 65,536 characters. */
        @WithDefault("65536")
        int maxBodyLength();

        /** {@code check-run} (needs a GitHub App token) or {@code commit-status} (works with any token). */
        @WithDefault("check-run")
        String statusApi();
    }

    /** Gitea (and Forgejo). */
    interface Gitea {
        /** Longest comment, review or issue body posted. */
        @WithDefault("65536")
        int maxBodyLength();

        /**
         * Field of a review comment holding its line: {@code new_position}, {@code position}, or
         * {@code auto} to choose from the server's {@code GET /version}.
         */
        @WithDefault("auto")
        String positionField();
    }

    /** GitLab. */
    interface GitLab {
        /** Longest note, discussion or issue description posted (GitLab's own limit is 1,000,000). */
        @WithDefault("1000000")
        int maxBodyLength();
    }
}
