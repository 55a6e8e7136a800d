package dev.drep.gateway;

import static dev.drep.testsupport.identity.TestTokens.asAdmin;

import dev.drep.gateway.cache.ResponseCache;
import dev.drep.gateway.provider.ProviderRegistry;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmResource;
import dev.drep.testsupport.llm.FakeLlmServer;
import dev.drep.testsupport.llm.InjectFakeLlm;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared parts of the gateway's Quarkus tests. Each test class is annotated exactly like this
 * (annotations are not inherited, and identical resources let the classes share one boot):
 *
 * <pre>
 * &#64;QuarkusTest
 * &#64;WithTestResource(EmbeddedPostgresResource.class)
 * &#64;WithTestResource(value = FakeLlmResource.class, initArgs = {
 *         &#64;ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
 *         &#64;ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
 * </pre>
 *
 * <p>That is the gateway on the JVM's embedded PostgreSQL, pointed at three fake providers
 * ({@code default}, {@code backup}, {@code flaky}) that require {@link FakeLlmResource#API_KEY},
 * with a 2 s provider timeout so timeouts are quick to test. Test configuration is in
 * {@code META-INF/microprofile-config.properties}.
 */
public abstract class GatewayTestBase {

    /** The provider name of the fallback target. */
    protected static final String BACKUP = "backup";

    /** A request that the gateway accepts. */
    protected static final String SIMPLE_REQUEST = """
            {"model":"default","messages":[{"role":"system","content":"You review code."},
             {"role":"user","content":"Is 1 + 1 == 2?"}]}""";

    @InjectFakeLlm
    protected FakeLlmServer llm;

    @InjectFakeLlm(BACKUP)
    protected FakeLlmServer backup;

    @InjectFakeLlm("flaky")
    protected FakeLlmServer flaky;

    @Inject
    ProviderRegistry providers;

    @Inject
    Pool pool;

    @Inject
    ResponseCache cache;

    @BeforeEach
    void resetGateway() {
        llm.reset();
        backup.reset();
        flaky.reset();
        // Each test starts with healthy providers and an empty cache, whatever the previous one did.
        providers.resetHealth();
        // An answer of the previous test may still be on its way into the table: let it land before emptying it.
        cache.awaitStores(Duration.ofSeconds(10));
        pool.query("DELETE FROM gateway.response_cache").execute().await().atMost(Duration.ofSeconds(10));
        cache.forgetRemembered();
    }

    /**
     * @param model   the alias
     * @param content the user message
     * @return a chat-completion request body
     */
    protected static String request(String model, String content) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    /**
     * @param content16 the user message, 16 characters
     * @return a request to {@code default} with max_tokens 100, estimated 3 + 4 + 4 (16 characters) + 100 = 111 tokens:
     *         0.0010275 USD at fake-model's prices (2.5 / 10 USD per million prompt / completion tokens)
     */
    protected static String capped(String content16) {
        if (content16.length() != 16) {
            throw new IllegalArgumentException("16 characters, not " + content16.length() + ": " + content16);
        }
        return "{\"model\":\"default\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\""
                + content16 + "\"}]}";
    }

    /** @return a job id no other test uses */
    protected static String freshJob() {
        return "job-" + UUID.randomUUID();
    }

    /**
     * Polls {@code GET /api/usage} until its answer satisfies {@code done} (ledger writes are
     * asynchronous), for up to ten seconds.
     *
     * @param query the query string, e.g. {@code job=abc}
     * @param done  when to stop
     * @return the last answer
     */
    protected static JsonPath awaitUsage(String query, Predicate<JsonPath> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonPath usage;
        do {
            usage = asAdmin().when().get("/api/usage?" + query).then().statusCode(200).contentType(ContentType.JSON)
                    .extract().jsonPath();
            if (done.test(usage)) {
                return usage;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return usage;
            }
        } while (System.nanoTime() < deadline);
        return usage;
    }
}
