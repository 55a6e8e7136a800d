package dev.drep.gateway.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.drep.gateway.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Completed answers by {@link CacheKey}, in {@code gateway.response_cache}, served until their TTL
 * ends. Shared by all gateway replicas; expired rows are never served and are deleted every
 * {@code purge-interval}. In front of it, each replica keeps the answers it stored or read in memory (Caffeine, at
 * most {@code drep.gateway.cache.memory} of their JSON, each until its own expiry), so a repeated request costs no
 * database round trip; a miss there asks PostgreSQL, where another replica's answers are. A cache failure never
 * fails a request: a lookup that fails is a miss, a store that fails is logged.
 */
@ApplicationScoped
public class ResponseCache {

    private static final Logger LOG = Logger.getLogger(ResponseCache.class);

    private final boolean enabled;
    private final Duration ttl;
    private final Duration purgeInterval;
    private final Pool pool;
    private final ObjectMapper json;
    private final Vertx vertx;
    private long purgeTimer = -1;
    /** This replica's answers in memory, with their expiry; null when {@code drep.gateway.cache.memory} is 0. */
    private final Cache<String, Remembered> memory;
    /** Stores whose insert has been sent and not yet answered; a stop waits for them. */
    private final Set<CompletableFuture<Void>> storing = ConcurrentHashMap.newKeySet();

    /** An answer held in memory until {@code expiresAt}. */
    private record Remembered(CachedAnswer answer, Instant expiresAt, int weight) {
    }

    /**
     * @param config the gateway configuration ({@code drep.gateway.cache.*})
     * @param pool   the reactive PostgreSQL pool
     * @param json   Jackson
     * @param vertx  for the purge timer
     */
    public ResponseCache(GatewayConfig config, Pool pool, ObjectMapper json, Vertx vertx) {
        this.enabled = config.cache().enabled();
        this.ttl = config.cache().ttl();
        this.purgeInterval = config.cache().purgeInterval();
        this.pool = pool;
        this.json = json;
        this.vertx = vertx;
        long room = config.cache().memory().asLongValue();
        this.memory = !enabled || room <= 0 ? null : Caffeine.newBuilder()
                .maximumWeight(room)
                .weigher((String key, Remembered remembered) -> remembered.weight())
                .expireAfterWrite(ttl)
                .build();
    }

    void startPurging(@Observes StartupEvent start) {
        if (enabled) {
            purgeTimer = vertx.setPeriodic(Math.max(1000, purgeInterval.toMillis()), id -> purge());
        }
    }

    void stopPurging(@Observes ShutdownEvent stop) {
        if (purgeTimer >= 0) {
            vertx.cancelTimer(purgeTimer);
        }
        if (!awaitStores(Duration.ofSeconds(5))) {
            LOG.warnf("Stopping with %d answers not yet stored in the response cache", storing.size());
        }
    }

    /**
     * Waits until every store sent so far has been answered by PostgreSQL (written or failed).
     *
     * @param patience how long to wait at most
     * @return whether none is left in flight
     */
    public boolean awaitStores(Duration patience) {
        CompletableFuture<?>[] pending = storing.toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(pending).get(patience.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true; // a failed store is over too (put never fails, so this is not expected)
        }
    }

    /** @return whether answers are cached */
    public boolean enabled() {
        return enabled;
    }

    /**
     * @param key a {@link CacheKey}
     * @return the answer, when one is cached and not expired
     */
    public Uni<Optional<CachedAnswer>> get(String key) {
        if (memory != null) {
            Remembered remembered = memory.getIfPresent(key);
            if (remembered != null && remembered.expiresAt().isAfter(Instant.now())) {
                return Uni.createFrom().item(Optional.of(remembered.answer()));
            }
        }
        return pool.preparedQuery(
                        "SELECT answer, expires_at FROM gateway.response_cache WHERE cache_key = $1 AND expires_at > now()")
                .execute(Tuple.of(key))
                .map(rows -> {
                    for (Row row : rows) {
                        String text = row.getString("answer");
                        CachedAnswer answer = read(text);
                        remember(key, answer, row.getOffsetDateTime("expires_at").toInstant(), text.length());
                        return Optional.of(answer);
                    }
                    return Optional.<CachedAnswer>empty();
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Response cache lookup failed, treating it as a miss (%s): %s",
                            e.getClass().getSimpleName(), e.getMessage());
                    return Optional.empty();
                });
    }

    /**
     * Stores (or replaces) an answer for the TTL.
     *
     * @param key    a {@link CacheKey}
     * @param answer the answer
     * @return completion; never fails
     */
    public Uni<Void> put(String key, CachedAnswer answer) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String text = write(answer);
        remember(key, answer, now.plus(ttl).toInstant(), text.length());
        return pool.preparedQuery("INSERT INTO gateway.response_cache (cache_key, answer, created_at, expires_at) "
                        + "VALUES ($1, $2, $3, $4) ON CONFLICT (cache_key) DO UPDATE SET answer = EXCLUDED.answer, "
                        + "created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at")
                .execute(Tuple.of(key, text, now, now.plus(ttl)))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Could not store an answer in the response cache (%s): %s", e.getClass().getSimpleName(),
                            e.getMessage());
                    return Uni.createFrom().voidItem();
                })
                .plug(this::tracked);
    }

    /** Counts a store as in flight from its subscription until PostgreSQL has answered it. */
    private Uni<Void> tracked(Uni<Void> store) {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            storing.add(done);
            return store.onTermination().invoke(() -> {
                storing.remove(done);
                done.complete(null);
            });
        });
    }

    /**
     * Forgets the answers held in this replica's memory. Deleting rows from {@code gateway.response_cache} does not
     * reach them: until this (or a restart, or their expiry) they are still served.
     */
    public void forgetRemembered() {
        if (memory != null) {
            memory.invalidateAll();
        }
    }

    private void remember(String key, CachedAnswer answer, Instant expiresAt, int weight) {
        if (memory != null) {
            memory.put(key, new Remembered(answer, expiresAt, weight));
        }
    }

    private void purge() {
        pool.query("DELETE FROM gateway.response_cache WHERE expires_at <= now()").execute()
                .subscribe().with(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.debugf("Purged %d expired cached answers", rows.rowCount());
                    }
                }, e -> LOG.warnf("Purging the response cache failed (%s): %s", e.getClass().getSimpleName(),
                        e.getMessage()));
    }

    private CachedAnswer read(String text) {
        try {
            return json.readValue(text, CachedAnswer.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a cached answer is not readable", e);
        }
    }

    private String write(CachedAnswer answer) {
        try {
            return json.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer cannot be cached", e);
        }
    }
}
