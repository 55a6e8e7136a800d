package dev.drep.analyzer.llm;

/**
 * The gateway refused the call: a budget is exhausted or the request was rejected (final), or
 * {@link GatewayBusyException} (rate limited, waited out). Not retried at once, and not held against the gateway by
 * the circuit breaker.
 */
class GatewayRefusedException extends RuntimeException {
    GatewayRefusedException(String message) {
        super(message);
    }
}
