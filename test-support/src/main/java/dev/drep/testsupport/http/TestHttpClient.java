package dev.drep.testsupport.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The JDK HTTP client as tests call drep's services and fakes with it: HTTP/1.1 (no {@code h2c} upgrade asked of a
 * plain-http server), a connect timeout, and a timeout on every request that has none of its own. A service that
 * does not answer then fails the test with the request named ({@code GET http://127.0.0.1:41234/q/metrics had no
 * answer within PT1M}), where the bare client waited for ever: an end-to-end test once hung for ten minutes in
 * {@code HttpClient.send} on a loaded CI machine. The timeouts are generous for the same machine: a slow answer is
 * not a failure, no answer is.
 */
public final class TestHttpClient {
    /** How long a connection may take to open. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long a request without a timeout of its own may wait for its answer's headers. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient client;
    private final Duration requestTimeout;

    private TestHttpClient(Duration requestTimeout) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .build();
        this.requestTimeout = requestTimeout;
    }

    /** @return a client whose requests wait {@link #REQUEST_TIMEOUT} at most unless they say otherwise */
    public static TestHttpClient create() {
        return new TestHttpClient(REQUEST_TIMEOUT);
    }

    /** @return a client whose requests wait {@code requestTimeout} at most unless they say otherwise */
    public static TestHttpClient withRequestTimeout(Duration requestTimeout) {
        return new TestHttpClient(requestTimeout);
    }

    /**
     * As {@link HttpClient#send}, with this client's timeout if the request has none.
     *
     * @throws HttpTimeoutException naming the request's method and URI when it had no answer in time
     */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        HttpRequest bounded = bounded(request);
        try {
            return client.send(bounded, body);
        } catch (HttpTimeoutException e) {
            throw named(bounded, e);
        }
    }

    /** As {@link HttpClient#sendAsync}, with this client's timeout if the request has none, a timeout named. */
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        HttpRequest bounded = bounded(request);
        return client.sendAsync(bounded, body).handle((response, failure) -> {
            if (failure == null) {
                return response;
            }
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            throw new CompletionException(cause instanceof HttpTimeoutException timeout ? named(bounded, timeout) : cause);
        });
    }

    /**
     * Opens a WebSocket (such as a browser's DevTools connection) on this client, its opening handshake bounded by
     * this client's request timeout: the JDK's WebSocket builder has none of its own.
     *
     * @return the socket once open; fails with an {@link HttpTimeoutException} naming {@code uri} when it was not
     *         open in time
     */
    public CompletableFuture<WebSocket> openWebSocket(URI uri, WebSocket.Listener listener) {
        return client.newWebSocketBuilder().connectTimeout(requestTimeout).buildAsync(uri, listener)
                .handle((socket, failure) -> {
                    if (failure == null) {
                        return socket;
                    }
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (cause instanceof HttpTimeoutException timeout) {
                        HttpTimeoutException named = new HttpTimeoutException("WebSocket " + uri
                                + " was not open within " + requestTimeout + " (is the server up, or the machine"
                                + " overloaded?)");
                        named.initCause(timeout);
                        cause = named;
                    }
                    throw new CompletionException(cause);
                });
    }

    private HttpRequest bounded(HttpRequest request) {
        if (request.timeout().isPresent()) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> true).timeout(requestTimeout).build();
    }

    private static HttpTimeoutException named(HttpRequest request, HttpTimeoutException timeout) {
        String call = request.method() + " " + request.uri();
        HttpTimeoutException named = timeout instanceof HttpConnectTimeoutException
                ? new HttpConnectTimeoutException(call + " could not connect within " + CONNECT_TIMEOUT)
                : new HttpTimeoutException(call + " had no answer within " + request.timeout().orElseThrow()
                        + " (is the service up, or the machine overloaded?)");
        named.initCause(timeout);
        return named;
    }
}
