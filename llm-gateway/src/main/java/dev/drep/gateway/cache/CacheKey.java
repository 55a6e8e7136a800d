package dev.drep.gateway.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.gateway.model.ModelRoute;
import dev.drep.gateway.provider.GenerationParameters;
import dev.drep.gateway.provider.ProviderMessage;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The cache key of a completion: SHA-256 of the provider, the provider's model, every message
 * (role, name, content) and every generation parameter, serialised in a fixed order. Anything that
 * can change the answer is in it; the alias is not (two aliases of one model share answers).
 */
public final class CacheKey {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CacheKey() {
    }

    /** What goes into the hash, in a fixed field order. */
    private record Material(String provider, String model, List<ProviderMessage> messages,
            GenerationParameters parameters) {
    }

    /**
     * @param route      the model the request goes to first
     * @param messages   the conversation
     * @param parameters the generation parameters
     * @return 64 lower-case hex characters
     */
    public static String of(ModelRoute route, List<ProviderMessage> messages, GenerationParameters parameters) {
        try {
            byte[] material = JSON.writeValueAsBytes(new Material(route.provider(), route.providerModel(), messages,
                    parameters));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(material));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot compute a cache key", e);
        }
    }
}
