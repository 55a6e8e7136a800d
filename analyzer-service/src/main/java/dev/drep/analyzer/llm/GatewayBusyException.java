package dev.drep.analyzer.llm;

/**
 * The gateway answered 429 (the provider is rate limiting after the gateway's own retries) or 408: it will pass
 * later. Not retried at once and not counted by the circuit breaker (it is a
 * {@link GatewayRefusedException}), but waited out within the patience like an unavailable gateway.
 */
class GatewayBusyException extends GatewayRefusedException {
    GatewayBusyException(String message) {
        super(message);
    }
}
