package dev.drep.publisher.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.core.platform.HostRuleViolation;
import dev.drep.core.platform.ResponseLimit;
import dev.drep.platformaccess.PlatformClient.Answer;
import dev.drep.platformaccess.PlatformClient;
import dev.drep.publisher.metrics.PublisherMetrics;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The transport every platform adapter uses: one JSON request through the shared {@link PlatformClient}
 * (host rules checked before anything leaves, answers read up to a size limit), answered with a 2xx
 * {@link Reply} or a classified {@link PlatformException}. It runs on a worker thread (the adapters are
 * blocking code called from {@code executeBlocking}).
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

    private final PlatformClient client;
    private final ObjectMapper json;
    private final PublisherMetrics metrics;

    public PlatformHttp(Vertx vertx, ObjectMapper json, PublisherConfig config, PublisherMetrics metrics,
            PlatformAccess access) {
        this.json = json;
        this.metrics = metrics;
        this.client = new PlatformClient(vertx, "drep-review-publisher", config.http().timeout(), access.rules(),
                access.maxResponseBytes());
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
        String payload = body == null ? null : write(body);
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

    private Answer exchange(PlatformTarget target, HttpMethod method, String url, Map<String, String> headers,
            String payload, String what) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putIfAbsent("Accept", "application/json");
        // a request that could outlive this replica's claim on the job is not sent (PostingLease)
        PostingLease.check(target.timeout().plusSeconds(1), what);
        try {
            // the client checks every request against the host rules, whatever the plan named: the token
            // goes only where its reference is bound
            return client.send(new PlatformClient.Request(what, target.ref().tokenRef(), method, url, all, payload,
                    target.timeout()));
        } catch (HostRuleViolation e) {
            throw PlatformException.failed(e.getMessage());
        } catch (ResponseLimit.TooLarge e) {
            metrics.platformError(target.ref().platform(), 0);
            throw PlatformException.failed(e.getMessage());
        } catch (RuntimeException e) {
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
