package dev.drep.testsupport.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP listener on 127.0.0.1 that records every request it receives (method, path, headers) and
 * answers 200 {@code {}}: the attacker's server in tests proving that a token is never sent to a host
 * it is not bound to.
 */
public final class CapturingListener implements AutoCloseable {
    /** One request received: its method, path with query, and headers (names lower case). */
    public record Captured(String method, String path, Map<String, List<String>> headers) {
    }

    private final HttpServer server;
    private final List<Captured> requests = new CopyOnWriteArrayList<>();

    private CapturingListener(HttpServer server) {
        this.server = server;
    }

    /** @return a listener on a free port of 127.0.0.1, started */
    public static CapturingListener start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        CapturingListener listener = new CapturingListener(server);
        server.createContext("/", exchange -> {
            Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            listener.requests.add(new Captured(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers));
            byte[] body = "{}".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return listener;
    }

    /** @return e.g. {@code http://127.0.0.1:41234} */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return {@code 127.0.0.1:PORT} */
    public String hostAndPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return every request received so far */
    public List<Captured> requests() {
        return new ArrayList<>(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
