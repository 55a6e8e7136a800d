package dev.drep.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The floor under any "latency the gateway adds" figure on the machine it runs on: the time of a loopback TCP
 * round trip of one byte, and of a trivial HTTP exchange (a small JSON POST answered with a small JSON body)
 * between the JDK's {@code HttpClient} and {@code HttpServer} in one process, with nothing else in the way. A
 * gateway adds at least one such exchange (it receives the request and makes its own call to the provider), so
 * when this exchange's p99 is above a latency target, no gateway can meet the target on that machine. Prints
 * p50 / p90 / p99 over the last two thirds of the samples (the first third warms up). Not a JMH benchmark.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.drep.benchmarks.HttpRoundTripFloor [exchanges]}.
 */
public final class HttpRoundTripFloor {
    private static final byte[] ANSWER = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private HttpRoundTripFloor() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int exchanges = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
        print("loopback TCP round trip, 1 byte", tcpRoundTrips(exchanges * 2));
        print("HTTP exchange, JDK HttpClient -> JDK HttpServer", httpExchanges(exchanges));
    }

    private static long[] tcpRoundTrips(int count) throws IOException, InterruptedException {
        long[] nanos = new long[count];
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    socket.setTcpNoDelay(true);
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream();
                    int b;
                    while ((b = in.read()) >= 0) {
                        out.write(b);
                        out.flush();
                    }
                } catch (IOException closed) {
                    // the client is done
                }
            }, "echo");
            echo.start();
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                client.setTcpNoDelay(true);
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                for (int i = 0; i < count; i++) {
                    long start = System.nanoTime();
                    out.write(1);
                    out.flush();
                    if (in.read() < 0) {
                        throw new IOException("the echo server closed the connection");
                    }
                    nanos[i] = System.nanoTime() - start;
                }
            }
            echo.join(5_000);
        }
        return nanos;
    }

    private static long[] httpExchanges(int count) throws IOException, InterruptedException {
        long[] nanos = new long[count];
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        ExecutorService threads = Executors.newCachedThreadPool();
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ANSWER.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ANSWER);
            }
        });
        server.start();
        try {
            // the JDK client on purpose: its exchange is what this measures (and the jar has no TestHttpClient); with
            // timeouts, so that a server that stops answering ends the run with the request named (NamedTimeouts)
            HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions");
            for (int i = 0; i < count; i++) {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[]}")).build();
                long start = System.nanoTime();
                HttpResponse<String> response = NamedTimeouts.send(client, request,
                        HttpResponse.BodyHandlers.ofString());
                nanos[i] = System.nanoTime() - start;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + response.statusCode());
                }
            }
        } finally {
            server.stop(0);
            threads.shutdownNow();
        }
        return nanos;
    }

    private static void print(String what, long[] nanos) {
        long[] measured = Arrays.copyOfRange(nanos, nanos.length / 3, nanos.length);
        Arrays.sort(measured);
        System.out.printf(Locale.ROOT, "%s (%d samples): p50 %.3f ms, p90 %.3f ms, p99 %.3f ms%n", what,
                measured.length, at(measured, 50), at(measured, 90), at(measured, 99));
    }

    private static double at(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * percentile / 100.0))] / 1e6;
    }
}
