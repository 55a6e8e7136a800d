package dev.drep.gateway.completion;

import dev.drep.gateway.error.GatewayException;
import dev.drep.gateway.metadata.DrepMetadata;
import dev.drep.gateway.model.ModelCatalog;
import dev.drep.gateway.model.ModelRoute;
import dev.drep.gateway.provider.OpenAiCompatibleProvider;
import dev.drep.gateway.provider.ProviderRegistry;
import dev.drep.gateway.provider.ProviderRequest;
import dev.drep.gateway.provider.ProviderResult;
import dev.drep.gateway.provider.TokenCounts;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs one chat completion: resolves the alias, calls the provider it routes to, and turns the
 * outcome into OpenAI's answer or error. This is where limits, budgets, the cache and the ledger
 * will sit, which is why the caller's {@link DrepMetadata} is passed down to it.
 */
@ApplicationScoped
public class CompletionService {

    private static final Logger LOG = Logger.getLogger(CompletionService.class);

    private final ModelCatalog catalog;
    private final ProviderRegistry providers;

    /**
     * @param catalog   the model aliases
     * @param providers the providers aliases route to
     */
    public CompletionService(ModelCatalog catalog, ProviderRegistry providers) {
        this.catalog = catalog;
        this.providers = providers;
    }

    /**
     * @param command  the validated request
     * @param metadata who asks and how urgently
     * @return the answer; its {@code model} is the alias the client asked for
     * @throws GatewayException for an unknown alias and for every provider failure
     */
    public ChatCompletionResponse complete(CompletionCommand command, DrepMetadata metadata) {
        ModelRoute route = catalog.resolve(command.alias()).orElseThrow(() -> GatewayException.invalidRequest(
                "model", "model_not_found", "Unknown model alias '" + command.alias() + "'; known aliases: "
                        + String.join(", ", catalog.routes().keySet()) + "."));
        OpenAiCompatibleProvider provider = providers.provider(route.provider()).orElseThrow(() ->
                new IllegalStateException("alias '" + route.alias() + "' routes to unknown provider '"
                        + route.provider() + "'"));

        long start = System.nanoTime();
        ProviderResult result = provider.chat(
                new ProviderRequest(route.providerModel(), command.messages(), command.parameters()));
        long millis = (System.nanoTime() - start) / 1_000_000;

        if (result instanceof ProviderResult.Failed failed) {
            LOG.infof("completion failed alias=%s model=%s repository=%s job=%s priority=%s taskClass=%s "
                            + "ms=%d failure=%s", route.alias(), route.providerModel(), metadata.repository(),
                    metadata.job(), metadata.priority().wireValue(), metadata.taskClass(), millis, failed.kind());
            throw ProviderFailures.toException(failed, route.alias());
        }
        ProviderResult.Completed completed = (ProviderResult.Completed) result;
        TokenCounts usage = completed.usage();
        LOG.infof("completion alias=%s model=%s repository=%s job=%s priority=%s taskClass=%s ms=%d "
                        + "promptTokens=%s completionTokens=%s", route.alias(), route.providerModel(),
                metadata.repository(), metadata.job(), metadata.priority().wireValue(), metadata.taskClass(), millis,
                usage == null ? "?" : usage.promptTokens(), usage == null ? "?" : usage.completionTokens());
        return new ChatCompletionResponse(
                completed.id() == null ? "chatcmpl-" + UUID.randomUUID() : completed.id(),
                "chat.completion",
                Instant.now().getEpochSecond(),
                route.alias(),
                List.of(new ChatCompletionResponse.Choice(0,
                        new ChatCompletionResponse.Message("assistant", completed.content()),
                        completed.finishReason())),
                usage == null ? null : new ChatCompletionResponse.Usage(usage.promptTokens(),
                        usage.completionTokens(), usage.totalTokens()));
    }
}
