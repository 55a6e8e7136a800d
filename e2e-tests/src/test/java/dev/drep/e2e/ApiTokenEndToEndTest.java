package dev.drep.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drep.launcher.stack.ServiceKind;
import dev.drep.launcher.stack.StackState;
import dev.drep.launcher.stack.StateFile;
import dev.drep.testsupport.http.TestHttpClient;
import dev.drep.testsupport.llm.FakeLlmServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API token made with {@code drep token create} works at the LLM gateway of a {@code drep up} stack (the gateway
 * asks the scanner's token introspection with its own service token), and after {@code drep token revoke} the
 * gateway refuses it within the cache time (2 s here, {@code DREP_IDENTITY_INTROSPECTION_CACHE_TIME}).
 */
class ApiTokenEndToEndTest {
    private static final Pattern ID = Pattern.compile("\\(id ([0-9a-f-]{36})\\)");
    private static final Duration CACHE_TIME = Duration.ofSeconds(2);
    private static final TestHttpClient HTTP = TestHttpClient.create();

    @TempDir
    static Path work;
    private static FakeLlmServer llm;
    private static Drep drep;

    @BeforeAll
    static void up() {
        llm = FakeLlmServer.start();
        drep = new Drep(work.resolve("data"), Map.of(
                "DREP_LLM_BASE_URL", llm.baseUrl(),
                "DREP_LLM_MODEL", FakeLlmServer.DEFAULT_MODEL,
                "DREP_IDENTITY_INTROSPECTION_CACHE_TIME", CACHE_TIME.toSeconds() + "s"));
        Drep.Run up = drep.run(work, "up", "--free-ports");
        assertThat(up.exitCode()).as("drep up: %s%n%s", up.out(), up.err()).isZero();
    }

    @AfterAll
    static void down() {
        if (drep != null) {
            drep.run(work, "down");
        }
        if (llm != null) {
            llm.close();
        }
    }

    @Test
    void aTokenWithLlmUseCallsTheGatewayUntilItIsRevoked() throws Exception {
        Drep.Run created = drep.run(work, "token", "create", "--name", "ide-assistant", "--scope", "llm:use");
        assertThat(created.exitCode()).as("%s%n%s", created.out(), created.err()).isZero();
        String token = created.out().strip();
        Matcher id = ID.matcher(created.err());
        assertThat(id.find()).as("the token's id in %s", created.err()).isTrue();
        String gateway = service(ServiceKind.LLM_GATEWAY).url();

        assertThat(get(gateway + "/v1/models", token).statusCode()).isEqualTo(200);
        HttpResponse<String> completion = post(gateway + "/v1/chat/completions", token,
                "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"Is 1 + 1 == 2?\"}]}");
        assertThat(completion.statusCode()).as(completion.body()).isEqualTo(200);
        // without llm:use, the same kind of token is refused there, naming the scope
        String reader = drep.run(work, "token", "create", "--name", "reader", "--scope", "jobs:read").out().strip();
        HttpResponse<String> refused = get(gateway + "/v1/models", reader);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("'llm:use'").doesNotContain(reader);

        Drep.Run revoked = drep.run(work, "token", "revoke", id.group(1));
        assertThat(revoked.exitCode()).as("%s%n%s", revoked.out(), revoked.err()).isZero();

        await().atMost(CACHE_TIME.plusSeconds(3)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            HttpResponse<String> answer = get(gateway + "/v1/models", token);
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.body()).contains("'ide-assistant'", "was revoked").doesNotContain(token);
        });
    }

    private static StackState.Service service(ServiceKind kind) {
        StackState state = new StateFile(work.resolve("data").resolve("stack.json")).read().orElseThrow();
        return state.service(kind).orElseThrow();
    }

    private static HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String token, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
