package dev.drep.testsupport.llm;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 *   <li>{@value #ARG_EXTRA_PROVIDERS}: comma-separated names of further providers; each gets its
 *       own server, configured as {@code drep.gateway.providers.<name>.*} with the same key and
 *       timeout, and injected into fields annotated {@code @InjectFakeLlm("<name>")}</li>
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
    /** Init arg: names of further providers, each with its own server. */
    public static final String ARG_EXTRA_PROVIDERS = "extraProviders";

    /**
     * The API key used unless told otherwise: recognisable, so tests can assert it never leaks
     * into answers or logs.
     */
    public static final String API_KEY = "sk-drep-fake-4f9c2e7a1b";

    private String apiKey = API_KEY;
    private String defaultModel = FakeLlmServer.DEFAULT_MODEL;
    private String timeout;
    private List<String> extraProviders = List.of();
    private FakeLlmServer server;
    private final Map<String, FakeLlmServer> extraServers = new LinkedHashMap<>();

    @Override
    public void init(Map<String, String> initArgs) {
        apiKey = initArgs.getOrDefault(ARG_API_KEY, API_KEY);
        defaultModel = initArgs.getOrDefault(ARG_DEFAULT_MODEL, FakeLlmServer.DEFAULT_MODEL);
        timeout = initArgs.get(ARG_TIMEOUT);
        String extra = initArgs.getOrDefault(ARG_EXTRA_PROVIDERS, "");
        extraProviders = Arrays.stream(extra.split(",")).map(String::trim).filter(name -> !name.isEmpty()).toList();
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
        for (String name : extraProviders) {
            FakeLlmServer extra = FakeLlmServer.start();
            extra.expectApiKey(apiKey.isEmpty() ? null : apiKey);
            extraServers.put(name, extra);
            String prefix = "drep.gateway.providers." + name + ".";
            config.put(prefix + "base-url", extra.baseUrl());
            if (!apiKey.isEmpty()) {
                config.put(prefix + "api-key", apiKey);
            }
            if (timeout != null) {
                config.put(prefix + "timeout", timeout);
            }
        }
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server, field -> injectable(field, ""));
        extraServers.forEach((name, extra) -> testInjector.injectIntoFields(extra, field -> injectable(field, name)));
    }

    private static boolean injectable(Field field, String name) {
        InjectFakeLlm annotation = field.getAnnotation(InjectFakeLlm.class);
        return annotation != null && annotation.value().equals(name)
                && field.getType().isAssignableFrom(FakeLlmServer.class);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
        extraServers.values().forEach(FakeLlmServer::close);
        extraServers.clear();
    }
}
