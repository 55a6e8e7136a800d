package dev.drep.gateway.key;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.drep.gateway.GatewayConfig;
import dev.drep.gateway.error.GatewayException;
import dev.drep.identity.Callers;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The key behind a request, if its caller is one: the policy of the caller's API token ({@link Callers#TOKEN_ID}),
 * read from {@link KeyStore} and kept for {@code drep.gateway.keys.cache-time} (a token without a policy too, so
 * plain API tokens cost one lookup per cache time). A deleted key is refused here (401) even while its token is
 * still in the token cache.
 */
@ApplicationScoped
public class Keys {

    private final KeyStore store;
    private final Cache<String, Optional<KeyPolicy>> policies;

    /**
     * @param store  the policies
     * @param config {@code drep.gateway.keys.*}
     */
    public Keys(KeyStore store, GatewayConfig config) {
        this.store = store;
        this.policies = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.keys().cacheTime()).build();
    }

    /**
     * @param caller who calls
     * @return its key's policy, or a null item when the caller is not a key; fails with 401 for a deleted key
     */
    public Uni<KeyPolicy> of(SecurityIdentity caller) {
        String id = caller.getAttribute(Callers.TOKEN_ID);
        if (id == null) {
            return Uni.createFrom().nullItem();
        }
        Optional<KeyPolicy> cached = policies.getIfPresent(id);
        Uni<Optional<KeyPolicy>> policy = cached != null ? Uni.createFrom().item(cached)
                : store.find(id).invoke(found -> policies.put(id, found));
        return policy.map(found -> {
            if (found.isEmpty()) {
                return null;
            }
            KeyPolicy key = found.get();
            if (key.revokedAt() != null) {
                throw new GatewayException(401, "authentication_error", null, "invalid_api_key", "The key '"
                        + key.name() + "' (id " + key.id() + ") was deleted at " + key.revokedAt()
                        + "; ask an admin for a new one.");
            }
            return key;
        });
    }

    /**
     * Refuses (403) a model alias the key may not use.
     *
     * @param key   the key, or {@code null} (no key: every alias)
     * @param alias the alias the request runs as
     */
    public static void requireModel(KeyPolicy key, String alias) {
        if (key != null && !key.allows(alias)) {
            throw new GatewayException(403, "permission_error", "model", "model_not_allowed", "The key '"
                    + key.name() + "' may not use model alias '" + alias + "'; it may use: "
                    + String.join(", ", key.models()) + ".");
        }
    }

    /** Forgets what this replica knows of a key (it was just deleted here). */
    void forget(String id) {
        policies.invalidate(id);
    }
}
