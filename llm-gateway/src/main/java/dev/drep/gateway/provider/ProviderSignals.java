package dev.drep.gateway.provider;

import dev.drep.gateway.resilience.RateLimitHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Routes what providers say in their response headers to the providers' state: the wire client
 * ({@code OpenAiWireClient}) hands every provider response's headers here, and the waits they ask for
 * become pauses of the provider they came from (matched by base URL: providers that share one also share its rate limits).
 */
@ApplicationScoped
public class ProviderSignals {

    private final List<ProviderHandle> providers = new CopyOnWriteArrayList<>();

    /**
     * @param provider a provider whose responses should reach it
     */
    public void register(ProviderHandle provider) {
        providers.add(provider);
    }

    /**
     * @param uri    the request's URI
     * @param status the response status
     * @param header a response header by name (case-insensitive), or {@code null}
     * @return the wait the response asked for, if any (already applied to the matching providers)
     */
    public Optional<Duration> onResponse(URI uri, int status, Function<String, String> header) {
        Optional<Duration> wait = RateLimitHeaders.requestedWait(header, Instant.now());
        if (wait.isEmpty() || wait.get().isZero()) {
            return Optional.empty();
        }
        String target = uri.toString();
        for (ProviderHandle provider : providers) {
            if (target.startsWith(provider.baseUrl())) {
                provider.requestedWait(wait.get());
            }
        }
        return wait;
    }
}
