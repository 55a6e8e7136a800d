package dev.drep.gateway.completion;

import io.smallrye.mutiny.Multi;
import java.time.Duration;

/**
 * A streamed completion the provider has accepted (or the cache answers): the frames for the client plus what
 * the gateway reports in response headers, which are sent before the first frame.
 *
 * @param cache        {@code hit}, {@code miss}, {@code bypass} or {@code off} ({@code X-Drep-Cache})
 * @param queueWait    time spent waiting for admission ({@code X-Drep-Queue-Wait-Ms})
 * @param providerTime time until the provider accepted the request, retries included ({@code X-Drep-Provider-Ms})
 * @param frames       server-sent events ({@code data: ...} and a blank line each), ending with
 *                     {@code data: [DONE]} or, when the provider's stream breaks off, an error event
 */
public record StreamReply(String cache, Duration queueWait, Duration providerTime, Multi<String> frames) {
}
