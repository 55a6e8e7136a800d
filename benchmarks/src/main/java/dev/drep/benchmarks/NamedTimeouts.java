package dev.drep.benchmarks;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/**
 * Sends a benchmark's request with the JDK client, which must carry a timeout of its own, and names the request
 * when the timeout fires ({@code POST http://127.0.0.1:41234/api/reviews had no answer within PT1M}) where the
 * JDK says only "request timed out". What test-support's {@code TestHttpClient} does for tests: the benchmarks jar
 * does not carry test-support.
 */
final class NamedTimeouts {

    private NamedTimeouts() {
    }

    /**
     * As {@link HttpClient#send}.
     *
     * @throws IllegalArgumentException when {@code request} has no timeout: it could wait for ever
     * @throws HttpTimeoutException naming the request's method and URI when it had no answer in time (an
     *         {@link HttpConnectTimeoutException} when it could not connect)
     */
    static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        if (request.timeout().isEmpty()) {
            throw new IllegalArgumentException(call(request)
                    + " has no timeout: a benchmark's request must not wait for ever");
        }
        try {
            return client.send(request, body);
        } catch (HttpConnectTimeoutException e) {
            HttpConnectTimeoutException named = new HttpConnectTimeoutException(call(request)
                    + " could not connect within " + client.connectTimeout().map(Object::toString).orElse("its timeout"));
            named.initCause(e);
            throw named;
        } catch (HttpTimeoutException e) {
            HttpTimeoutException named = new HttpTimeoutException(call(request) + " had no answer within "
                    + request.timeout().orElseThrow() + " (is the service up, or the machine overloaded?)");
            named.initCause(e);
            throw named;
        }
    }

    /** Named only when a request fails: a measured exchange ({@link HttpRoundTripFloor}) pays nothing for it. */
    private static String call(HttpRequest request) {
        return request.method() + " " + request.uri();
    }
}
