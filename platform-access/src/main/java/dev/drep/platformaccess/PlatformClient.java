package dev.drep.platformaccess;

import dev.drep.core.platform.HostRuleViolation;
import dev.drep.core.platform.HostRules;
import dev.drep.core.platform.ResponseLimit;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.codec.BodyCodec;
import java.time.Duration;
import java.util.Map;

/**
 * Sends one request to a platform's REST API and waits for the answer: the one way drep calls Gitea,
 * GitHub and GitLab (the scanner's pull request lookups, the publisher's adapters). Blocking: call it from
 * a worker thread. Before anything is sent the URL is checked against the {@link HostRules} for the
 * token reference the request carries, so a token never leaves for a host it is not bound to; the answer
 * is read up to a size limit; redirects are not followed (they would take the token elsewhere).
 * Retrying, rate limits and what a status means stay with the callers.
 */
public final class PlatformClient implements AutoCloseable {
    private final WebClient client;
    private final HostRules rules;
    private final long maxResponseBytes;

    /**
     * @param vertx            the Vert.x instance the client runs on
     * @param userAgent        the {@code User-Agent} sent
     * @param connectTimeout   how long a connection may take
     * @param rules            where requests and tokens may go
     * @param maxResponseBytes the largest answer read
     */
    public PlatformClient(Vertx vertx, String userAgent, Duration connectTimeout, HostRules rules, long maxResponseBytes) {
        this.rules = rules;
        this.maxResponseBytes = maxResponseBytes;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setUserAgent(userAgent)
                .setFollowRedirects(false));
    }

    /**
     * One request.
     *
     * @param what     how messages name it, e.g. {@code github: GET /repos/acme/docs/pulls/3}
     * @param tokenRef the token reference whose token the headers carry, or null for an anonymous request
     * @param method   the HTTP method
     * @param url      absolute URL, path segments already encoded
     * @param headers  request headers (the platform's authentication among them)
     * @param json     a JSON body, or null
     * @param timeout  how long the whole exchange may take
     */
    public record Request(String what, String tokenRef, HttpMethod method, String url, Map<String, String> headers,
            String json, Duration timeout) {
    }

    /**
     * An answer, any status.
     *
     * @param status  the HTTP status
     * @param headers the response headers
     * @param body    the body as text, empty when there was none
     */
    public record Answer(int status, MultiMap headers, String body) {
    }

    /**
     * @return the answer, whatever its status
     * @throws HostRuleViolation     when the host rules refuse the URL or the token for it; nothing was sent
     * @throws ResponseLimit.TooLarge when the answer is larger than the limit
     * @throws RuntimeException      when there was no answer (connection refused, timeout, ...)
     */
    public Answer send(Request request) {
        rules.checkApiRequest("the URL of " + request.what(), request.tokenRef(), request.url());
        BoundedBody body = new BoundedBody(maxResponseBytes, request.what());
        Duration timeout = request.timeout();
        try {
            HttpRequest<Void> http = client.requestAbs(request.method(), request.url()).timeout(timeout.toMillis())
                    .as(BodyCodec.newInstance(io.vertx.ext.web.codec.BodyCodec.pipe(body, false)));
            request.headers().forEach(http::putHeader);
            HttpResponse<Void> response;
            if (request.json() == null) {
                response = http.send().await().atMost(timeout.plusSeconds(1));
            } else {
                http.putHeader("Content-Type", "application/json");
                response = http.sendBuffer(Buffer.buffer(request.json())).await().atMost(timeout.plusSeconds(1));
            }
            if (body.overflowed()) {
                throw new ResponseLimit.TooLarge(request.what(), maxResponseBytes);
            }
            return new Answer(response.statusCode(), response.headers(), body.text());
        } catch (RuntimeException e) {
            if (body.overflowed()) {
                throw new ResponseLimit.TooLarge(request.what(), maxResponseBytes);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
