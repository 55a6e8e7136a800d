package dev.drep.gateway.provider;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one OpenAI-compatible provider lives.
 *
 * @param name    the provider's name inside the gateway, e.g. {@code default}
 * @param baseUrl the API base URL up to and including {@code /v1}
 * @param apiKey  the bearer token, if the provider needs one
 * @param timeout time limit of one call, rounded up to whole seconds and at least one second
 */
public record ProviderEndpoint(String name, String baseUrl, Optional<String> apiKey, Duration timeout) {

    public ProviderEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("The base URL of LLM provider '" + name + "' is not a valid URL.", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("The base URL of LLM provider '" + name
                    + "' must be an http(s) URL with a host, e.g. http://localhost:11434/v1.");
        }
        apiKey = apiKey.filter(key -> !key.isBlank());
        // Timeouts are whole seconds (at least one: 0 would read as "none").
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        timeout = Duration.ofSeconds(seconds);
    }

    /** @return the base URL without any user-info part, safe to log and to show clients */
    public String displayUrl() {
        URI uri = URI.create(baseUrl);
        if (uri.getRawUserInfo() == null) {
            return baseUrl;
        }
        return baseUrl.replace(uri.getRawUserInfo() + "@", "***@");
    }

    /**
     * @param text any text, e.g. an error message a provider sent
     * @return the text with every occurrence of the API key replaced by {@code ***}
     */
    public String redact(String text) {
        if (text == null || apiKey.isEmpty()) {
            return text;
        }
        return text.replace(apiKey.get(), "***");
    }

    /** Leaves the API key (and any user-info of the URL) out, so an endpoint can be logged. */
    @Override
    public String toString() {
        return "ProviderEndpoint[name=" + name + ", baseUrl=" + displayUrl() + ", apiKey="
                + (apiKey.isPresent() ? "***" : "none") + ", timeout=" + timeout + "]";
    }
}
