package dev.drep.gateway.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Completed answers by {@link CacheKey}, in {@code gateway.response_cache}, served until their TTL
 * ends. Shared by all gateway replicas; expired rows are never served and are deleted every
 * {@code purge-interval}. A cache failure never fails a request: a lookup that fails is a miss, a
 * store that fails is logged.
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
        return pool.preparedQuery(
                        "SELECT answer FROM gateway.response_cache WHERE cache_key = $1 AND expires_at > now()")
                .execute(Tuple.of(key))
                .map(rows -> {
                    for (Row row : rows) {
                        return Optional.of(read(row.getString("answer")));
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
        return pool.preparedQuery("INSERT INTO gateway.response_cache (cache_key, answer, created_at, expires_at) "
                        + "VALUES ($1, $2, $3, $4) ON CONFLICT (cache_key) DO UPDATE SET answer = EXCLUDED.answer, "
                        + "created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at")
                .execute(Tuple.of(key, write(answer), now, now.plus(ttl)))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Could not store an answer in the response cache (%s): %s", e.getClass().getSimpleName(),
                            e.getMessage());
                    return Uni.createFrom().voidItem();
                });
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
