package dev.drep.platformaccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.drep.core.platform.AccessAllowances;
import dev.drep.core.platform.HostBinding;
import dev.drep.core.platform.HostResolver;
import dev.drep.core.platform.HostRuleViolation;
import dev.drep.core.platform.HostRules;
import dev.drep.core.platform.ResponseLimit;
import dev.drep.testsupport.http.CapturingListener;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The platform client against local listeners, with the allowances a local test needs and nothing more. */
class PlatformClientTest {
    private static final int LIMIT = 1024;
    private static Vertx vertx;
    private static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/small", exchange -> answer(exchange, "{\"ok\": true}", 200, null));
        server.createContext("/large", exchange -> answer(exchange, "x".repeat(LIMIT * 4), 200, null));
        server.createContext("/moved", exchange -> answer(exchange, "", 302, "http://127.0.0.1:1/elsewhere"));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        vertx.closeAndAwait();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String body, int status, String location)
            throws java.io.IOException {
        byte[] bytes = body.getBytes();
        if (location != null) {
            exchange.getResponseHeaders().add("Location", location);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static PlatformClient client(String boundTo) {
        HostRules rules = new HostRules(Map.of("bot", new HostBinding(List.of(boundTo), List.of())),
                new AccessAllowances(false, true, true), HostResolver.SYSTEM);
        return new PlatformClient(vertx, "drep-test", Duration.ofSeconds(2), rules, LIMIT);
    }

    private static PlatformClient.Request get(String url) {
        return new PlatformClient.Request("test: GET", "bot", HttpMethod.GET, url, Map.of("Authorization", "token t0k"), null,
                Duration.ofSeconds(5));
    }

    @Test
    void anAnswerWithinTheLimitIsReadWhole() {
        try (PlatformClient client = client(base())) {
            PlatformClient.Answer answer = client.send(get(base() + "/small"));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"ok\": true}");
        }
    }

    @Test
    void anAnswerOverTheLimitIsRefused() {
        try (PlatformClient client = client(base())) {
            assertThatThrownBy(() -> client.send(get(base() + "/large")))
                    .isInstanceOf(ResponseLimit.TooLarge.class).hasMessageContaining("larger than " + LIMIT + " bytes");
        }
    }

    @Test
    void aRedirectIsAnsweredNotFollowed() {
        try (PlatformClient client = client(base())) {
            assertThat(client.send(get(base() + "/moved")).status()).isEqualTo(302);
        }
    }

    @Test
    void nothingIsSentToAHostTheTokenIsNotBoundTo() throws Exception {
        try (CapturingListener listener = CapturingListener.start(); PlatformClient client = client(base())) {
            assertThatThrownBy(() -> client.send(get(listener.baseUrl() + "/repos/acme/docs")))
                    .isInstanceOf(HostRuleViolation.class).hasMessageContaining("drep.platform-access.bindings.bot");
            assertThat(listener.requests()).isEmpty();
        }
    }
}
