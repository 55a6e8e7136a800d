package dev.drep.analyzer;

import dev.drep.testsupport.llm.FakeLlmServer;
import dev.drep.testsupport.llm.InjectFakeLlm;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts the fake OpenAI-compatible server and points the analyzer's gateway client at it: the fake
 * speaks the gateway's wire format, so analyzer tests need no gateway. test-support's
 * {@code FakeLlmResource} configures the gateway's provider properties instead of the analyzer's
 * {@code quarkus.rest-client.llm-gateway.url}, hence this small resource. The server is injected
 * into fields annotated {@link InjectFakeLlm}.
 */
public class FakeGatewayResource implements QuarkusTestResourceLifecycleManager {
    private FakeLlmServer server;

    @Override
    public Map<String, String> start() {
        server = FakeLlmServer.start();
        return Map.of("quarkus.rest-client.llm-gateway.url", "http://127.0.0.1:" + server.port());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectFakeLlm.class, FakeLlmServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
