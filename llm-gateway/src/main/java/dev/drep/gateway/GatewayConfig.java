package dev.drep.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.quarkus.runtime.configuration.MemorySize;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Configuration of the llm-gateway ({@code drep.gateway.*}; each property also reads from the
 * matching environment variable, e.g. {@code DREP_GATEWAY_PROVIDER_BASE_URL},
 * {@code DREP_GATEWAY_LIMITS_MAX_CONCURRENT}). The README's configuration reference lists them all.
 */
@ConfigMapping(prefix = "drep.gateway")
public interface GatewayConfig {

    /** Name of the model alias that {@link #defaultModel()} defines, and of the provider {@link #provider()} defines. */
    String DEFAULT_ALIAS = "default";

    /** The provider named {@code default}, which the short alias forms ({@code default-model}, {@code models.*}) run on. */
    Provider provider();

    /** Further OpenAI-compatible providers by name ({@code providers.<name>.base-url}, ...); aliases and fallbacks name them. */
    Map<String, NamedProvider> providers();

    /** Provider model name served under the alias {@code default}. */
    @WithDefault("llama3.2")
    String defaultModel();

    /** Further aliases on the {@code default} provider, each mapped to a provider model name (an entry {@code default} overrides {@link #defaultModel()}). */
    Map<String, String> models();

    /** Aliases on any provider ({@code aliases.<alias>.provider}, {@code aliases.<alias>.model}); they override {@link #models()} entries of the same name. */
    Map<String, Alias> aliases();

    /** Fallback chain per alias ({@code fallbacks.<alias>=<alias>,<alias>}), tried in order when the alias fails with 429, 5xx, a timeout or no connection. */
    Map<String, List<String>> fallbacks();

    /** Task class ({@code X-Drep-Task-Class}) to alias, used when a request asks for the alias {@code default}; e.g. {@code task-classes.simple=fast}. */
    Map<String, String> taskClasses();

    /** Largest accepted request body in bytes; larger ones are answered 400 naming this limit. */
    @WithDefault("1048576")
    int maxRequestBytes();

    /**
     * Most completion tokens of a model whose alias sets no {@code aliases.<alias>.max-output-tokens}. A request
     * that sets neither {@code max_tokens} nor {@code max_completion_tokens} is sent to the provider with this as
     * {@code max_tokens}, and it is what the token window and the budgets reserve for its answer.
     */
    @WithDefault("4096")
    int maxOutputTokens();

    /** Limits on all traffic to the providers. */
    Limits limits();

    /** Retries of one model before falling back. */
    Retry retry();

    /** The per-provider circuit breaker. */
    CircuitBreaker circuitBreaker();

    /** The response cache. */
    Cache cache();

    /** Token and cost budgets. */
    Budgets budgets();

    /** How long the usage ledger is kept (docs/architecture.md, "Retention"). */
    Retention retention();

    /** How the usage ledger is written: in batches, off the request path. */
    Ledger ledger();

    /** Keys: API tokens with a policy of their own ({@code POST /api/keys}). */
    Keys keys();

    /** Price per provider model name ({@code prices.<model>.input-per-million}, {@code .output-per-million}, USD); a model not listed costs nothing. */
    Map<String, Price> prices();

    /** Where and how the gateway reaches its {@code default} LLM provider. */
    interface Provider {

        /** Base URL of the provider's OpenAI-compatible API, up to and including {@code /v1} (the default is Ollama's). */
        @WithDefault("http://localhost:11434/v1")
        String baseUrl();

        /** Bearer token sent to the provider; leave unset for local providers that need none. Never logged. */
        Optional<String> apiKey();

        /** How long one provider call may take before it counts as a timeout (whole seconds, at least 1 s). */
        @WithDefault("120s")
        Duration timeout();

        /** Most calls in flight to this provider (the ceiling of its adaptive limit); default {@code limits.max-concurrent}. */
        OptionalInt maxConcurrency();
    }

    /** A further provider; unlike {@link Provider} its base URL has no default. */
    interface NamedProvider {

        /** Base URL of the provider's OpenAI-compatible API, up to and including {@code /v1}. */
        String baseUrl();

        /** Bearer token sent to the provider, if it needs one. Never logged. */
        Optional<String> apiKey();

        /** How long one provider call may take before it counts as a timeout (whole seconds, at least 1 s). */
        @WithDefault("120s")
        Duration timeout();

        /** Most calls in flight to this provider (the ceiling of its adaptive limit); default {@code limits.max-concurrent}. */
        OptionalInt maxConcurrency();
    }

    /** An alias on a named provider. */
    interface Alias {

        /** The provider the alias runs on. */
        @WithDefault(DEFAULT_ALIAS)
        String provider();

        /** The model name the provider knows. */
        String model();

        /** Most completion tokens of this alias's model (see {@link GatewayConfig#maxOutputTokens()}); default {@code max-output-tokens}. */
        OptionalInt maxOutputTokens();
    }

    /** Limits on all traffic to the providers, enforced before a request is sent (defaults of the original drep). */
    interface Limits {

        /** Requests in flight at once, over all repositories. */
        @WithDefault("5")
        int maxConcurrent();

        /** Requests in flight at once for one repository ({@code X-Drep-Repository}; requests without one share a bucket). */
        @WithDefault("3")
        int maxConcurrentPerRepository();

        /** Requests admitted per {@link #window()}; 0 for no limit. */
        @WithDefault("60")
        int requestsPerMinute();

        /** Tokens (estimated before the call, corrected after it) per {@link #window()}; 0 for no limit. */
        @WithDefault("100000")
        long tokensPerMinute();

        /** Length of the rate window: a minute, shortened only by tests. */
        @WithDefault("60s")
        Duration window();

        /** Longest a request may wait for admission; a request that would wait longer is answered 429 with Retry-After. */
        @WithDefault("120s")
        Duration maxQueueWait();

        /** Most requests waiting at once; more are answered 429 at once. */
        @WithDefault("10000")
        int maxQueued();

        /** Share the limits with every gateway replica on the same database (off only for a gateway that is alone and must not pay two statements per request). */
        @WithDefault("true")
        boolean shared();

        /** How long a replica's shared slots outlive its last heartbeat (renewed every third of it): what a replica that dies costs. */
        @WithDefault("15s")
        Duration lease();

        /** How often a replica that holds shared slots or allowance gives back what it no longer uses and learns whether others wait (at most a third of the lease). */
        @WithDefault("50ms")
        Duration rebalance();

        /** How long a replica holds back after the shared state refused a claim (jittered 50-150 %), before it asks again. */
        @WithDefault("10ms")
        Duration sharedRetry();
    }

    /** Retries of one model on 429, 5xx, timeouts and refused connections (never on other 4xx). */
    interface Retry {

        /** Calls per model including the first; 1 disables retries. */
        @WithDefault("3")
        int maxAttempts();

        /** Wait before the first retry, doubled for each further one, half of it random. */
        @WithDefault("500ms")
        Duration initialBackoff();

        /** Cap of the doubled wait. */
        @WithDefault("8s")
        Duration maxBackoff();

        /** Longest provider {@code Retry-After} the gateway waits out itself; longer ones fall back or are passed to the client. */
        @WithDefault("30s")
        Duration maxRetryAfter();
    }

    /** Per-provider circuit breaker. */
    interface CircuitBreaker {

        /** Consecutive failures (5xx, timeouts, refused connections, broken answers) that open it. */
        @WithDefault("5")
        int failureThreshold();

        /** How long it stays open before one trial call. */
        @WithDefault("60s")
        Duration openDuration();
    }

    /** The response cache (PostgreSQL, schema {@code gateway}). */
    interface Cache {

        /** Whether answers are cached and served from the cache. */
        @WithDefault("true")
        boolean enabled();

        /** How long a cached answer is served. */
        @WithDefault("24h")
        Duration ttl();

        /**
         * Room for answers kept in this replica's memory in front of PostgreSQL (measured as their JSON); a hit there
         * costs no database round trip. 0 keeps none.
         */
        @WithDefault("32M")
        MemorySize memory();

        /** How often expired answers are deleted. */
        @WithDefault("10m")
        Duration purgeInterval();
    }

    /** The purge of the usage ledger. */
    interface Retention {

        /**
         * How long a usage record (and a budget period's total) is kept; older ones are deleted every hour, in batches.
         * 400 days, so that a report over the last year still finds all of it. Records of the current budget periods
         * (this UTC month) are kept whatever the setting.
         */
        @WithDefault("400d")
        Duration ledger();

        /** How many usage records one retention statement deletes; the purge repeats until a batch comes back short. */
        @WithDefault("1000")
        int batchSize();
    }

    /**
     * The usage ledger's writer: rows wait in memory and go to PostgreSQL in batches (one statement each). A stop
     * writes what is waiting; a crash (SIGKILL, OOM kill) loses at most the rows of the last {@link #flushInterval()}.
     */
    interface Ledger {

        /** Longest a row waits in memory before its batch is written. */
        @WithDefault("250ms")
        Duration flushInterval();

        /** Most rows per insert; a full batch is written at once, without waiting for the interval. */
        @WithDefault("500")
        int batchSize();

        /**
         * Most rows held in memory while the database cannot be written (a restart, an outage); rows beyond are
         * dropped, logged and counted ({@code drep_gateway_ledger_write_failures_total}).
         */
        @WithDefault("100000")
        int maxBuffered();

        /** Longest a stop waits for the waiting rows to be written. */
        @WithDefault("10s")
        Duration shutdownFlush();
    }

    /** Token and cost budgets per day and per month (UTC), for all traffic and per repository. */
    interface Budgets {

        /** Budgets of all traffic together. */
        BudgetLimits global();

        /** Budgets every repository gets on its own (requests without a repository share one). */
        BudgetLimits perRepository();

        /** Budgets of named repositories ({@code repositories."acme/app".tokens-per-day}); a value not set here comes from {@link #perRepository()}. */
        Map<String, BudgetLimits> repositories();
    }

    /** One set of budgets; an unset value means no limit. */
    interface BudgetLimits {

        /** Tokens per UTC day. */
        OptionalLong tokensPerDay();

        /** Tokens per UTC month. */
        OptionalLong tokensPerMonth();

        /** Cost in USD per UTC day. */
        Optional<BigDecimal> costPerDay();

        /** Cost in USD per UTC month. */
        Optional<BigDecimal> costPerMonth();
    }

    /** How the gateway reads the keys' policies ({@code gateway.api_key}). */
    interface Keys {

        /**
         * How long a replica keeps a key's policy (or that a token has none) in memory: a deleted key is refused by
         * every replica within this time (its token, at the scanner at once and elsewhere within the token cache time).
         */
        @WithDefault("5s")
        Duration cacheTime();
    }

    /** Price of one model in USD per million tokens. */
    interface Price {

        /** Price of a million prompt tokens. */
        @WithDefault("0")
        BigDecimal inputPerMillion();

        /** Price of a million completion tokens. */
        @WithDefault("0")
        BigDecimal outputPerMillion();
    }
}
