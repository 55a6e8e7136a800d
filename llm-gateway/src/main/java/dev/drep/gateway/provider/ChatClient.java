package dev.drep.gateway.provider;

/**
 * Something that runs chat completions on one provider. {@link OpenAiCompatibleProvider} is the
 * real one; the seam lets the retry and fallback policy be tested without HTTP.
 */
@FunctionalInterface
public interface ChatClient {

    /**
     * Runs one completion, blocking until the provider answers, fails or times out.
     *
     * @param request the completion
     * @return the answer or why there is none; never throws
     */
    ProviderResult chat(ProviderRequest request);
}
