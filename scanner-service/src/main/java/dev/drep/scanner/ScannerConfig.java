package dev.drep.scanner;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Configuration of the scanner (prefix {@code drep.scanner}). */
@ConfigMapping(prefix = "drep.scanner")
public interface ScannerConfig {

    /** Files larger than this many bytes are not analysed and are named in the summary. */
    @WithDefault("1048576")
    int maxFileBytes();

    /** How many files of one analyzer go into one work unit (small units spread over analyzer replicas). */
    @WithDefault("8")
    int filesPerUnit();

    /** How many files of an LLM analyzer go into one work unit; the analyzer batches them into few requests. */
    @WithDefault("20")
    int llmFilesPerUnit();

    /** Extra ignore patterns (gitignore syntax) added to the built-in defaults for every repository. */
    Optional<List<String>> ignore();

    /** Folder holding one bare mirror per registered repository, kept between fetches so that they are incremental. */
    @WithDefault("${java.io.tmpdir}/drep-mirrors")
    String mirrors();

    /** Seconds a git fetch may wait on the remote without progress before it is abandoned. */
    @WithDefault("120")
    int fetchTimeoutSeconds();

    /** How long one call to a platform's API (looking up a pull request) may take. */
    @WithDefault("10s")
    Duration platformTimeout();

    /**
     * How long handled webhook deliveries are remembered to recognise redeliveries (platforms let people
     * redeliver recent deliveries: GitHub for 3 days); older records are deleted every hour.
     */
    @WithDefault("14d")
    Duration webhookDeliveryRetention();

    /**
     * How long finished jobs (DONE or FAILED) are kept, with their stage records; older ones are deleted every
     * hour, in batches. Unfinished jobs are never deleted.
     */
    @WithDefault("90d")
    Duration jobRetention();

    /** How many jobs one retention statement deletes; the purge repeats until a batch comes back short. */
    @WithDefault("500")
    int retentionBatchSize();

    /**
     * How many times the registration of a job's plan is tried again while the review-publisher is unreachable or
     * answers 5xx (back-off from 0.2 s doubling to 5 s: the default waits about a minute, a publisher's restart)
     * before the planning gives its request back to the queue, whose redelivery plans the job again
     * (docs/architecture.md, "Delivery guarantees": planning that breaks off).
     */
    @WithDefault("16")
    int registrationRetries();

    /** What one job may plan (docs/architecture.md, "Bounded planning"). */
    JobLimits jobLimits();

    /** Per-job caps on planning: the files and bytes put into work units, and the time planning may take. */
    interface JobLimits {
        /** At most this many files are analysed per job, taken in path order; the rest are named as over the limit. */
        @WithDefault("5000")
        int maxFiles();

        /** At most this many bytes of file content are put into one job's work units, in path order; the rest are named. */
        @WithDefault("200M")
        MemorySize maxBytes();

        /** A job whose planning (fetch, listing, reading and queuing the units) takes longer ends FAILED with the reason. */
        @WithDefault("5m")
        Duration planningTimeout();
    }

    /** Pruning of the repository mirrors (docs/architecture.md, "Bounded planning"). */
    MirrorPruning mirrorPruning();

    /** How the mirrors are kept small: stale pull request refs deleted, {@code git gc}, a size cap. */
    interface MirrorPruning {
        /** How often every mirror of this replica is pruned. */
        @WithDefault("6h")
        Duration interval();

        /**
         * A pull request's head ref is deleted from the mirror when no job reviewed it for this long and none is
         * running (closed pull requests, mostly); a later review fetches it again.
         */
        @WithDefault("7d")
        Duration pullRequestRefsAfter();

        /** A mirror still larger than this after {@code git gc} is deleted and cloned again on its next use. */
        @WithDefault("2G")
        MemorySize maxMirrorSize();
    }

    /**
     * At a shutdown, how long a plan in progress may take to finish before it goes back to the planning queue for
     * another replica; with the shutdown delay and the HTTP shutdown timeout it fits the pod's termination grace
     * period (60 s in the chart).
     */
    @WithDefault("20s")
    Duration shutdownGrace();

    /** Webhook deliveries (docs/architecture.md, "Platforms"). */
    Webhook webhook();

    /** The webhook endpoint. */
    interface Webhook {
        /**
         * The key each repository's webhook secret is derived from (HMAC-SHA256 of the repository id); at least
         * 32 characters, e.g. {@code openssl rand -hex 32}. Unset: webhooks are refused with 503.
         */
        Optional<String> secretKey();

        /** Deliveries with a larger body are refused with 413 (GitHub caps its payloads at 25 MB). */
        @WithDefault("25M")
        MemorySize maxBodySize();
    }

    /** Metrics settings (docs/observability.md). */
    Metrics metrics();

    /** Every job ends: deadlines and the planning relay (docs/architecture.md, "Delivery guarantees"). */
    Jobs jobs();

    /** Job deadlines and the relay of planning requests. */
    interface Jobs {
        /** A job that is not DONE or FAILED this long after it was accepted is marked FAILED with the reason. */
        @WithDefault("30m")
        Duration deadline();

        /** How often the watchdog looks for overdue jobs and the relay for planning requests that were not sent. */
        @WithDefault("15s")
        Duration watchInterval();

        /** A job recorded this long ago whose planning request the broker has not confirmed is queued again. */
        @WithDefault("10s")
        Duration relayAfter();
    }

    /** The job gauges. */
    interface Metrics {
        /** How often the gauges of unfinished jobs are read from the database. */
        @WithDefault("15s")
        Duration refreshInterval();
    }

    /** Commands given in pull request comments (docs/architecture.md, "Commands on the pull request"). */
    Commands commands();

    /** The walkthrough of pull requests ({@code describe}). */
    Describe describe();

    /** How much of a pull request's diff the walkthrough's unit carries. */
    interface Describe {
        /** Each file's diff is cut after this many characters. */
        @WithDefault("6000")
        int maxFileChars();

        /** The diffs of one pull request add up to at most this many characters; later files are named only. */
        @WithDefault("120000")
        int maxChars();

        /** At most this many changed files are named in the walkthrough. */
        @WithDefault("500")
        int maxFiles();
    }

    /** Commands in comments. */
    interface Commands {
        /** How long the platform's answer to "may this user write to the repository?" is reused. */
        @WithDefault("60s")
        Duration permissionCacheTime();

        /** How long one handler holds a command; a handler that died lets a redelivery run it after this. */
        @WithDefault("2m")
        Duration claim();

        /** {@code /drep ask} (docs/architecture.md, "Commands on the pull request"). */
        Ask ask();
    }

    /** {@code /drep ask}: a question answered by a model through the LLM gateway. */
    interface Ask {
        /** The gateway's task classes ({@code X-Drep-Task-Class}). */
        enum TaskClass {
            SIMPLE, COMPLEX
        }

        /** The longest question answered, in characters; a longer one is refused naming this limit, without a model call. */
        @WithDefault("4000")
        int maxQuestionChars();

        /** The most characters of the pull request's diff sent with a question; a longer diff is trimmed with a note. */
        @WithDefault("60000")
        int maxDiffChars();

        /** The most characters of the thread's earlier comments sent with a question (the latest are kept). */
        @WithDefault("16000")
        int maxThreadChars();

        /** The longest answer asked of the model, in tokens. */
        @WithDefault("1200")
        int maxAnswerTokens();

        /** The gateway's task class for questions ({@code simple} or {@code complex}): the gateway picks the model. */
        @WithDefault("complex")
        TaskClass taskClass();

        /** How long a question may wait for the gateway's answer; within the command's claim ({@code claim}, 2 min). */
        @WithDefault("90s")
        Duration timeout();
    }
}
