package dev.drep.gateway;

import dev.drep.testsupport.llm.FakeLlmResource;
import dev.drep.testsupport.llm.FakeLlmServer;
import dev.drep.testsupport.llm.InjectFakeLlm;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared parts of the gateway's Quarkus tests. Each test class is annotated with
 * {@code @WithTestResource(value = FakeLlmResource.class, initArgs = @ResourceArg(name = "timeout",
 * value = "2s"))} exactly (the annotation is not inherited): the gateway pointed at a fake provider
 * that requires {@link FakeLlmResource#API_KEY}, with a 2 s provider timeout so timeouts are quick
 * to test. Identical resources mean the classes share one application boot.
 */
public abstract class GatewayTestBase {

    /** A request that the gateway accepts. */
    protected static final String SIMPLE_REQUEST = """
            {"model":"default","messages":[{"role":"system","content":"You review code."},
             {"role":"user","content":"Is 1 + 1 == 2?"}]}""";

    @InjectFakeLlm
    protected FakeLlmServer llm;

    @BeforeEach
    void resetFakeProvider() {
        llm.reset();
    }
}
