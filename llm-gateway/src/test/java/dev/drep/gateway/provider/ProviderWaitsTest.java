package dev.drep.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every wait of a call over the OpenAI wire ends within the provider timeout, whatever the provider does after it
 * accepted the connection: a worker thread parked for ever on a provider that went quiet holds a provider slot, an
 * admission permit and a budget reservation for ever. The provider here is a raw socket that says exactly as much
 * as each test wants and then nothing more.
 */
class ProviderWaitsTest {

    private static final Duration TIMEOUT = Duration.ofMillis(800);

    private Vertx vertx;
    private ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        vertx = Vertx.vertx();
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** Serves each connection: reads one request, then writes what {@code answer} writes and keeps it open. */
    private void serve(Consumer<OutputStream> answer) {
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.add(socket);
                    readRequest(socket.getInputStream());
                    answer.accept(socket.getOutputStream());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "quiet-provider");
        thread.setDaemon(true);
        thread.start();
    }

    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return;
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes(length);
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private OpenAiWireClient provider() {
        ProviderEndpoint endpoint = new ProviderEndpoint("quiet", "http://127.0.0.1:" + server.getLocalPort() + "/v1",
                Optional.empty(), TIMEOUT);
        return new OpenAiWireClient(endpoint, vertx, null, new ProviderFailureClassifier(endpoint));
    }

    private static ProviderRequest toolRequest() {
        ObjectNode passThrough = JsonNodeFactory.instance.objectNode();
        passThrough.putArray("tools").addObject().put("type", "function").putObject("function").put("name", "f");
        GenerationParameters parameters = new GenerationParameters(null, null, null, null, List.of(), null, null,
                null, false, null, passThrough);
        return new ProviderRequest("m", List.of(new ProviderMessage(ProviderMessage.Role.USER, "hi", null)),
                parameters);
    }

    /** Runs the call on a thread of its own, so that a call that never ends fails the test instead of hanging it. */
    private static ProviderResult within(Duration bound, java.util.function.Supplier<ProviderResult> call)
            throws Exception {
        try {
            return CompletableFuture.supplyAsync(call).get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the call to the provider was still waiting after " + bound, e);
        }
    }

    @Test
    void anAnswerWhoseBodyNeverComesTimesOut() throws Exception {
        // The head of a whole answer, and one byte of its 200-byte body.
        serve(out -> write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"));
        OpenAiWireClient provider = provider();

        long start = System.nanoTime();
        ProviderResult result = within(Duration.ofSeconds(5), () -> provider.chat(toolRequest()).await().indefinitely());

        assertThat(result).isInstanceOfSatisfying(ProviderResult.Failed.class,
                failed -> assertThat(failed.kind()).isEqualTo(FailureKind.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusMillis(700));
    }

    @Test
    void aProviderThatNeverAnswersTimesOut() throws Exception {
        serve(out -> { });
        OpenAiWireClient provider = provider();

        ProviderResult result = within(Duration.ofSeconds(5), () -> provider.chat(toolRequest()).await().indefinitely());

        assertThat(result).isInstanceOfSatisfying(ProviderResult.Failed.class,
                failed -> assertThat(failed.kind()).isEqualTo(FailureKind.TIMEOUT));
    }

    @Test
    void aStreamThatGoesQuietMidAnswerFailsAfterTheProviderTimeout() throws Exception {
        serve(out -> write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunk("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n")));
        OpenAiWireClient provider = provider();
        ProviderResult accepted = within(Duration.ofSeconds(5), () -> provider.chat(new ProviderRequest("m",
                List.of(new ProviderMessage(ProviderMessage.Role.USER, "hi", null)), GenerationParameters.none(),
                true)).await().indefinitely());
        assertThat(accepted).isInstanceOf(ProviderResult.Completed.class);
        ProviderStream stream = ((ProviderResult.Completed) accepted).stream();

        List<String> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        stream.events().subscribe().with(events::add, failure::complete, () -> failure.complete(null));

        Throwable ended = failure.get(TIMEOUT.toMillis() + 3000, TimeUnit.MILLISECONDS);
        assertThat(events).hasSize(1);
        assertThat(ended).as("a stream that stops mid-answer fails, it does not end as if complete")
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat(stream.endedBy()).isEqualTo(ProviderStream.End.FAILED);
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }
}
