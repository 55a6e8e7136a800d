package dev.drep.testsupport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestHttpClientTest {
    private ServerSocket silent;
    private final List<Socket> accepted = new ArrayList<>();
    private Thread acceptor;

    /** A listener that takes connections and never answers: what a service too loaded to answer looks like. */
    @BeforeEach
    void startSilentListener() throws Exception {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (java.io.IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stopSilentListener() throws Exception {
        silent.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    private URI silentUri() {
        return URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/q/metrics");
    }

    @Test
    void aRequestWithoutATimeoutOfItsOwnEndsAtTheClientsNamingTheRequest() {
        TestHttpClient http = TestHttpClient.withRequestTimeout(Duration.ofMillis(300));
        long started = System.nanoTime();

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(silentUri()).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class)
                .hasMessageContaining("GET " + silentUri())
                .hasMessageContaining("PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aRequestsOwnTimeoutIsKept() {
        TestHttpClient http = TestHttpClient.create();
        long started = System.nanoTime();

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(silentUri()).timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class)
                .hasMessageContaining("POST " + silentUri());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("far below the default of %s",
                TestHttpClient.REQUEST_TIMEOUT).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anAsynchronousRequestEndsAtTheClientsTimeoutNamingTheRequest() {
        TestHttpClient http = TestHttpClient.withRequestTimeout(Duration.ofMillis(300));

        assertThatThrownBy(() -> http.sendAsync(HttpRequest.newBuilder(silentUri()).build(),
                HttpResponse.BodyHandlers.ofString()).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(HttpTimeoutException.class).hasMessageContaining("GET " + silentUri());
    }

    @Test
    void aWebSocketThatIsNotOpenedInTimeFailsNamingItsUri() {
        TestHttpClient http = TestHttpClient.withRequestTimeout(Duration.ofMillis(300));
        URI socket = URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/devtools/page/1");
        long started = System.nanoTime();

        assertThatThrownBy(() -> http.openWebSocket(socket, new WebSocket.Listener() {
        }).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(HttpTimeoutException.class)
                .hasMessageContaining("WebSocket " + socket).hasMessageContaining("PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void speaksHttp11WithoutAskingForAnUpgradeToHttp2() throws Exception {
        try (CapturingListener listener = CapturingListener.start()) {
            HttpResponse<String> answer = TestHttpClient.create().send(
                    HttpRequest.newBuilder(URI.create(listener.baseUrl() + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(listener.requests()).singleElement().satisfies(request -> assertThat(request.headers())
                    .doesNotContainKeys("Upgrade", "HTTP2-Settings"));
        }
    }
}
