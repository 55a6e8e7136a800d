package dev.drep.analyzer;

import dev.drep.contracts.UnitResult;
import dev.drep.contracts.WorkUnit;
import dev.drep.testsupport.llm.FakeLlmServer;
import dev.drep.testsupport.llm.InjectFakeLlm;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the tests of the LLM analyzers share: the fake provider behind the real gateway, the broker channels, and
 * a fresh start for each test (no scripted answers, closed circuit breakers).
 */
abstract class LlmAnalyzerTestBase {

    @InjectFakeLlm
    FakeLlmServer llm;

    @Inject
    TestChannels channels;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void resetLlmAndBreakers() {
        llm.reset();
        breakers.resetAll();
    }

    /** Sends the unit through the broker and waits for its result. */
    UnitResult review(WorkUnit unit) throws Exception {
        channels.send(unit);
        return Units.awaitResult(unit.unitId());
    }
}
