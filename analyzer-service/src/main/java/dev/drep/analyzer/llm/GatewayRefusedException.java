package dev.drep.analyzer.llm;

/**
 * The gateway refused the call for a reason a retry does not change: a budget is exhausted, the
 * provider is rate limiting after the gateway's own retries, or the request was rejected. Not
 * retried, and not held against the gateway by the circuit breaker.
 */
class GatewayRefusedException extends RuntimeException {
    GatewayRefusedException(String message) {
        super(message);
    }
}
