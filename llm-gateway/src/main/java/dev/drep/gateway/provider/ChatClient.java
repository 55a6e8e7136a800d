package dev.drep.gateway.provider;

import io.smallrye.mutiny.Uni;

/**
 * Something that runs chat completions on one provider. {@link OpenAiCompatibleProvider} is the
 * real one; the seam lets the retry and fallback policy be tested without HTTP.
 */
@FunctionalInterface
public interface ChatClient {

    /**
     * Runs one completion without blocking the caller: the call starts when the answer is subscribed to.
     *
     * @param request the completion
     * @return the answer or why there is none, once the provider answers, fails or times out; never fails
     */
    Uni<ProviderResult> chat(ProviderRequest request);
}
