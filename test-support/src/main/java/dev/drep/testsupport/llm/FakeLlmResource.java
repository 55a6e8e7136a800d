package dev.drep.testsupport.llm;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a {@link FakeLlmServer} for a Quarkus test and points the llm-gateway at it.
 *
 * <p>Use it with {@code @WithTestResource(FakeLlmResource.class)} and declare
 * {@code @InjectFakeLlm FakeLlmServer llm;} in the test class to script and inspect the server
 * (call {@link FakeLlmServer#reset()} before each test, since the server lives as long as the
 * Quarkus application of the test class).
 *
 * <p>Init args (all optional):
 * <ul>
 *   <li>{@value #ARG_API_KEY}: the key the gateway sends and the server requires
 *       (default {@value #API_KEY}; empty means none is configured and none is required)</li>
 *   <li>{@value #ARG_DEFAULT_MODEL}: the provider model name of the gateway's {@code default}
 *       alias (default {@value FakeLlmServer#DEFAULT_MODEL})</li>
 *   <li>{@value #ARG_TIMEOUT}: the gateway's provider timeout, e.g. {@code 2s} (default: the
 *       gateway's own default)</li>
 * </ul>
 */
public class FakeLlmResource implements QuarkusTestResourceLifecycleManager {

    /** Config property of the gateway's provider base URL. */
    public static final String BASE_URL_PROPERTY = "drep.gateway.provider.base-url";
    /** Config property of the gateway's provider API key. */
    public static final String API_KEY_PROPERTY = "drep.gateway.provider.api-key";
    /** Config property of the gateway's provider timeout. */
    public static final String TIMEOUT_PROPERTY = "drep.gateway.provider.timeout";
    /** Config property of the provider model behind the gateway's {@code default} alias. */
    public static final String DEFAULT_MODEL_PROPERTY = "drep.gateway.default-model";

    /** Init arg: the API key. */
    public static final String ARG_API_KEY = "apiKey";
    /** Init arg: the provider model name of the default alias. */
    public static final String ARG_DEFAULT_MODEL = "defaultModel";
    /** Init arg: the gateway's provider timeout. */
    public static final String ARG_TIMEOUT = "timeout";

    /**
     * The API key used unless told otherwise: recognisable, so tests can assert it never leaks
     * into answers or logs.
     */
    public static final String API_KEY = "sk-drep-fake-4f9c2e7a1b";

    private String apiKey = API_KEY;
    private String defaultModel = FakeLlmServer.DEFAULT_MODEL;
    private String timeout;
    private FakeLlmServer server;

    @Override
    public void init(Map<String, String> initArgs) {
        apiKey = initArgs.getOrDefault(ARG_API_KEY, API_KEY);
        defaultModel = initArgs.getOrDefault(ARG_DEFAULT_MODEL, FakeLlmServer.DEFAULT_MODEL);
        timeout = initArgs.get(ARG_TIMEOUT);
    }

    @Override
    public Map<String, String> start() {
        server = FakeLlmServer.start();
        server.expectApiKey(apiKey.isEmpty() ? null : apiKey);
        Map<String, String> config = new HashMap<>();
        config.put(BASE_URL_PROPERTY, server.baseUrl());
        config.put(DEFAULT_MODEL_PROPERTY, defaultModel);
        if (!apiKey.isEmpty()) {
            config.put(API_KEY_PROPERTY, apiKey);
        }
        if (timeout != null) {
            config.put(TIMEOUT_PROPERTY, timeout);
        }
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectFakeLlm.class, FakeLlmServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
