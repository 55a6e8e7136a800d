package dev.drep.testsupport.identity;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a {@link FakeTokenIntrospection} for a Quarkus test and points the service's token introspection at it
 * ({@code drep.identity.introspection.*}), with short cache times so that a revocation is seen within seconds.
 * Declare {@code @InjectTokenIntrospection FakeTokenIntrospection scanner;} to issue and revoke tokens.
 *
 * <p>Init args: {@value #ARG_SERVICE_TOKEN} (required: the token the service under test sends, which the fake
 * requires), {@value #ARG_CACHE_TIME} (default {@value #CACHE_TIME}), {@value #ARG_UNKNOWN_CACHE_TIME} (default
 * {@value #UNKNOWN_CACHE_TIME}).
 */
public class FakeTokenIntrospectionResource implements QuarkusTestResourceLifecycleManager {
    /** Init arg: the service token the fake requires. */
    public static final String ARG_SERVICE_TOKEN = "serviceToken";
    /** Init arg: the cache time of answers about issued tokens. */
    public static final String ARG_CACHE_TIME = "cacheTime";
    /** Init arg: the cache time of "no such token". */
    public static final String ARG_UNKNOWN_CACHE_TIME = "unknownCacheTime";
    /** The cache time unless told otherwise. */
    public static final String CACHE_TIME = "2s";
    /** The cache time of unknown tokens unless told otherwise. */
    public static final String UNKNOWN_CACHE_TIME = "1s";

    private String serviceToken;
    private String cacheTime = CACHE_TIME;
    private String unknownCacheTime = UNKNOWN_CACHE_TIME;
    private FakeTokenIntrospection fake;

    @Override
    public void init(Map<String, String> initArgs) {
        serviceToken = initArgs.get(ARG_SERVICE_TOKEN);
        if (serviceToken == null || serviceToken.isBlank()) {
            throw new IllegalArgumentException(ARG_SERVICE_TOKEN + " is required: the token the service under test sends");
        }
        cacheTime = initArgs.getOrDefault(ARG_CACHE_TIME, CACHE_TIME);
        unknownCacheTime = initArgs.getOrDefault(ARG_UNKNOWN_CACHE_TIME, UNKNOWN_CACHE_TIME);
    }

    @Override
    public Map<String, String> start() {
        fake = FakeTokenIntrospection.start(serviceToken);
        return Map.of("drep.identity.introspection.url", fake.baseUrl(),
                "drep.identity.introspection.cache-time", cacheTime,
                "drep.identity.introspection.unknown-cache-time", unknownCacheTime,
                "drep.identity.introspection.timeout", "2s");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(fake, new TestInjector.AnnotatedAndMatchesType(InjectTokenIntrospection.class,
                FakeTokenIntrospection.class));
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.close();
        }
    }
}
