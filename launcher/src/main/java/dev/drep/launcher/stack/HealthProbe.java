package dev.drep.launcher.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a service's readiness endpoint whether it is ready: HTTP 200 means yes, anything else no. */
public final class HealthProbe {
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final Duration requestTimeout;

    public HealthProbe() {
        this(Duration.ofSeconds(3));
    }

    public HealthProbe(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /** @return true when {@code uri} answers 200 */
    public boolean isReady(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
