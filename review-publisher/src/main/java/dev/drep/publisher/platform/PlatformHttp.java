package dev.drep.publisher.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.core.platform.HostRuleViolation;
import dev.drep.core.platform.ResponseLimit;
import dev.drep.publisher.metrics.PublisherMetrics;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.codec.BodyCodec;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The transport every platform adapter uses: one JSON request, answered with a 2xx {@link Reply} or a
 * classified {@link PlatformException}. It runs on a worker thread (the adapters are blocking code
 * called from {@code executeBlocking}).
 *
 * <ul>
 *   <li>Rate limits: 429, or 403 with {@code X-RateLimit-Remaining: 0} / {@code RateLimit-Remaining: 0}
 *       or with {@code Retry-After} (GitHub's secondary limit). The wait comes from {@code Retry-After}
 *       (seconds or an HTTP date) or the reset time ({@code X-RateLimit-Reset} / {@code RateLimit-Reset},
 *       epoch seconds). A wait up to {@link PlatformTarget#maxWait()} is slept through and the same
 *       request sent again (a rate-limited request had no effect, so resending cannot duplicate);
 *       a longer one is {@link PlatformException.Kind#RATE_LIMITED} with the reset time.</li>
 *   <li>5xx, timeouts and connection failures are {@link PlatformException.Kind#UNAVAILABLE} and are
 *       not retried here: a 502 may hide a comment that was created, so the caller re-runs its whole
 *       idempotent procedure (which looks for drep's markers first) rather than resending blindly.</li>
 *   <li>The token is sent only in a header and scrubbed from every message built from an answer,
 *       in case a platform echoes it.</li>
 * </ul>
 */
@ApplicationScoped
public class PlatformHttp {
    private static final Logger LOG = Logger.getLogger(PlatformHttp.class);
    /** Rate-limit waits for one request before giving up in place (each at most maxWait long). */
    private static final int MAX_WAITS_PER_REQUEST = 3;
    /** A 429 without any header saying how long: wait this long. */
    private static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(60);
    private static final int MAX_DETAIL = 300;

    private final WebClient client;
    private final ObjectMapper json;
    private final PublisherMetrics metrics;
    private final PlatformAccess access;

    public PlatformHttp(Vertx vertx, ObjectMapper json, PublisherConfig config, PublisherMetrics metrics,
            PlatformAccess access) {
        this.access = access;
        this.json = json;
        this.metrics = metrics;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) config.http().timeout().toMillis())
                .setUserAgent("drep-review-publisher")
                .setFollowRedirects(false));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * A successful answer.
     *
     * @param status  the 2xx status
     * @param body    the body, empty when there was none
     * @param headers the response headers
     */
    public record Reply(int status, String body, MultiMap headers) {
    }

    /**
     * Sends one request.
     *
     * @param target  whose token to scrub and how long a rate limit may be waited out
     * @param method  HTTP method
     * @param url     absolute URL, path segments already encoded
     * @param headers request headers (the adapter's authentication header among them)
     * @param body    a JSON body (any Jackson-serialisable value), or null
     * @return the 2xx answer
     * @throws PlatformException for any other outcome; {@link PlatformException.Kind#FAILED} without a
     *                           request when the host rules refuse the URL for the target's token
     */
    public Reply send(PlatformTarget target, HttpMethod method, String url, Map<String, String> headers, Object body) {
        String what = target.ref().platform() + ": " + method.name() + " " + pathOf(url);
        try {
            // every request, whatever the plan named: the token goes only where its reference is bound
            access.rules().checkApiRequest("the URL of " + what, target.ref().tokenRef(), url);
        } catch (HostRuleViolation e) {
            throw PlatformException.failed(e.getMessage());
        }
        Buffer payload = body == null ? null : Buffer.buffer(write(body));
        int waits = 0;
        while (true) {
            Answer response = exchange(target, method, url, headers, payload, what);
            int status = response.status();
            if (status >= 200 && status < 300) {
                return new Reply(status, response.body(), response.headers());
            }
            metrics.platformError(target.ref().platform(), status);
            Instant resetAt = rateLimitReset(status, response.headers());
            if (resetAt != null) {
                Duration wait = Duration.between(Instant.now(), resetAt);
                if (wait.isNegative()) {
                    wait = Duration.ZERO;
                }
                if (waits < MAX_WAITS_PER_REQUEST && wait.compareTo(target.maxWait()) <= 0) {
                    waits++;
                    LOG.infof("%s: rate limited (HTTP %d); waiting %d ms before sending it again", what, status,
                            wait.toMillis());
                    sleep(wait, what);
                    continue;
                }
                throw new PlatformException(PlatformException.Kind.RATE_LIMITED, status,
                        what + " is rate limited until " + resetAt, resetAt);
            }
            throw classify(target, status, response, what);
        }
    }

    /** Parses a reply body as JSON. */
    public JsonNode json(Reply reply) {
        try {
            return reply.body().isEmpty() ? json.nullNode() : json.readTree(reply.body());
        } catch (Exception e) {
            throw new PlatformException(PlatformException.Kind.UNAVAILABLE, reply.status(),
                    "the platform answered with a body that is not JSON");
        }
    }

    /** @return the object mapper used for request bodies */
    public ObjectMapper mapper() {
        return json;
    }

    /** An answer whose body was read within the size limit. */
    private record Answer(int status, MultiMap headers, String body) {
    }

    private Answer exchange(PlatformTarget target, HttpMethod method, String url,
            Map<String, String> headers, Buffer payload, String what) {
        BoundedBody body = new BoundedBody(access.maxResponseBytes(), what);
        try {
            Duration timeout = target.timeout();
            // connect timeout of the client is the configured default; a shorter per-target timeout
            // (the pending status during registration) still bounds the whole exchange
            HttpRequest<Void> request = client.requestAbs(method, url).timeout(timeout.toMillis())
                    .as(BodyCodec.newInstance(io.vertx.ext.web.codec.BodyCodec.pipe(body, false)));
            headers.forEach(request::putHeader);
            request.putHeader("Accept", headers.getOrDefault("Accept", "application/json"));
            HttpResponse<Void> response;
            if (payload == null) {
                response = request.send().await().atMost(timeout.plusSeconds(1));
            } else {
                request.putHeader("Content-Type", "application/json");
                response = request.sendBuffer(payload).await().atMost(timeout.plusSeconds(1));
            }
            if (body.overflowed()) {
                throw new ResponseLimit.TooLarge(what, access.maxResponseBytes());
            }
            return new Answer(response.statusCode(), response.headers(), body.text());
        } catch (RuntimeException e) {
            if (body.overflowed()) {
                metrics.platformError(target.ref().platform(), 0);
                throw PlatformException.failed(ResponseLimit.message(what, access.maxResponseBytes()));
            }
            metrics.platformError(target.ref().platform(), 0);
            String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            throw new PlatformException(PlatformException.Kind.UNAVAILABLE, 0,
                    what + " failed: " + scrub(reason, target.token()));
        }
    }

    private PlatformException classify(PlatformTarget target, int status, Answer response, String what) {
        String detail = scrub(detail(response), target.token());
        String message = what + " answered " + status + (detail.isEmpty() ? "" : ": " + detail);
        if (status >= 500) {
            return new PlatformException(PlatformException.Kind.UNAVAILABLE, status, message);
        }
        return switch (status) {
            case 400, 422 -> new PlatformException(PlatformException.Kind.REJECTED, status, message, null, detail);
            case 404, 410 -> new PlatformException(PlatformException.Kind.NOT_FOUND, status, message);
            case 401 -> new PlatformException(PlatformException.Kind.FAILED, status, message
                    + " (authentication failed: check the token configured for tokenRef '" + target.ref().tokenRef() + "')");
            case 403 -> new PlatformException(PlatformException.Kind.FAILED, status, message
                    + " (the token configured for tokenRef '" + target.ref().tokenRef() + "' lacks a permission)");
            case 408 -> new PlatformException(PlatformException.Kind.UNAVAILABLE, status, message);
            default -> new PlatformException(PlatformException.Kind.FAILED, status, message);
        };
    }

    /** The platform's own explanation: {@code message} (and GitHub's {@code errors[].message}), else the raw body, cut short. */
    private String detail(Answer response) {
        String body = response.body();
        List<String> parts = new ArrayList<>();
        try {
            JsonNode node = json.readTree(body);
            if (node != null) {
                addText(parts, node.get("message"));
                addText(parts, node.get("error"));
                JsonNode errors = node.get("errors");
                if (errors != null && errors.isArray()) {
                    for (JsonNode error : errors) {
                        addText(parts, error.isTextual() ? error : error.get("message"));
                    }
                }
            }
        } catch (Exception notJson) {
            // plain-text or HTML error pages: fall back to the raw text below
        }
        String text = parts.isEmpty() ? body.strip() : String.join("; ", parts);
        text = text.replaceAll("\\s+", " ");
        return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "…" : text;
    }

    private static void addText(List<String> parts, JsonNode node) {
        if (node == null || node.isNull()) {
            return;
        }
        parts.add(node.isTextual() ? node.asText() : node.toString());
    }

    /**
     * @return when a rate limit that rejected this answer resets, or null when the answer is not a rate
     *         limit (a 403 without rate-limit headers is a permission problem)
     */
    static Instant rateLimitReset(int status, MultiMap headers) {
        if (status != 429 && status != 403) {
            return null;
        }
        Instant now = Instant.now();
        String retryAfter = headers.get("Retry-After");
        if (retryAfter != null) {
            Instant at = parseRetryAfter(retryAfter.strip(), now);
            if (at != null) {
                return at;
            }
        }
        String remaining = first(headers, "X-RateLimit-Remaining", "RateLimit-Remaining");
        String reset = first(headers, "X-RateLimit-Reset", "RateLimit-Reset");
        if ("0".equals(remaining == null ? null : remaining.strip()) && reset != null) {
            try {
                // epoch seconds; one more second because the platform rounds down
                return Instant.ofEpochSecond(Long.parseLong(reset.strip()) + 1);
            } catch (NumberFormatException e) {
                return now.plus(DEFAULT_RATE_LIMIT_WAIT);
            }
        }
        return status == 429 ? now.plus(DEFAULT_RATE_LIMIT_WAIT) : null;
    }

    private static Instant parseRetryAfter(String value, Instant now) {
        try {
            return now.plusSeconds(Long.parseLong(value));
        } catch (NumberFormatException notSeconds) {
            try {
                return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    private static String first(MultiMap headers, String... names) {
        for (String name : names) {
            String value = headers.get(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static void sleep(Duration wait, String what) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException(PlatformException.Kind.UNAVAILABLE, 0, what + " was interrupted while waiting");
        }
    }

    /** Replaces every occurrence of the token: a platform may echo it in an error. */
    public static String scrub(String text, String token) {
        if (text == null || token == null || token.isEmpty()) {
            return text;
        }
        return text.replace(token, "***");
    }

    private static String pathOf(String url) {
        try {
            return URI.create(url).getRawPath();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise a request body", e);
        }
    }
}
