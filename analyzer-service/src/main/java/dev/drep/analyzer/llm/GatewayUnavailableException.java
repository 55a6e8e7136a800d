package dev.drep.analyzer.llm;

/**
 * The gateway could not give an answer this time: 502/503/504, unreachable, or an answer that is not a
 * chat completion. Retried briefly, and counted by the circuit breaker.
 */
class GatewayUnavailableException extends RuntimeException {
    GatewayUnavailableException(String message) {
        super(message);
    }
}
