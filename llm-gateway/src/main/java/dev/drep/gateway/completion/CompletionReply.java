package dev.drep.gateway.completion;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * A completed request: the OpenAI answer plus what the gateway reports in response headers.
 *
 * @param response     the answer body
 * @param cache        {@code hit}, {@code miss}, {@code bypass} or {@code off} ({@code X-Drep-Cache})
 * @param queueWait    time spent waiting for admission ({@code X-Drep-Queue-Wait-Ms})
 * @param providerTime time spent in provider calls ({@code X-Drep-Provider-Ms})
 * @param cost         what the request cost by the price table, 0 for a cache hit ({@code X-Drep-Cost})
 */
public record CompletionReply(ChatCompletionResponse response, String cache, Duration queueWait,
        Duration providerTime, BigDecimal cost) {
}
