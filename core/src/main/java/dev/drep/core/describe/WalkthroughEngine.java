package dev.drep.core.describe;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Stage;
import dev.drep.contracts.UnitUsage;
import dev.drep.contracts.Walkthrough;
import dev.drep.core.llm.AnalysisCache;
import dev.drep.core.llm.CachedAnalysis;
import dev.drep.core.llm.ChatOutcome;
import dev.drep.core.llm.ChatPort;
import dev.drep.core.llm.ChatRequest;
import dev.drep.core.llm.TokenCeiling;
import dev.drep.core.llm.UnitContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Asks for a pull request's walkthrough the way the review asks for findings: one call (or none) per describe unit,
 * answered from the analysis cache when the same diff was described before, reserved against the job's token ceiling
 * and counted in the unit's usage. Never fails for a gateway or model problem: the walkthrough then carries drep's note
 * instead of the model's text, and the files without a line.
 */
public final class WalkthroughEngine {
    private static final System.Logger LOG = System.getLogger(WalkthroughEngine.class.getName());

    /**
     * The walkthrough and what it cost.
     *
     * @param walkthrough never null
     * @param usage       the call, or the cache hit
     */
    public record Described(Walkthrough walkthrough, UnitUsage usage) {
    }

    private final ChatPort chat;
    private final AnalysisCache cache;
    private final TokenCeiling ceiling;
    private final WalkthroughSettings settings;

    public WalkthroughEngine(ChatPort chat, AnalysisCache cache, TokenCeiling ceiling, WalkthroughSettings settings) {
        this.chat = chat;
        this.cache = cache;
        this.ceiling = ceiling;
        this.settings = settings;
    }

    /**
     * @param files the changed files, each with its unified diff as content (null: left out by the scanner's budget)
     * @return the walkthrough; never a failed stage for an LLM, cache or ceiling problem
     */
    public CompletionStage<Described> describe(UnitContext context, List<FileToAnalyze> files) {
        List<String> all = files.stream().map(FileToAnalyze::path).sorted().toList();
        if (files.isEmpty()) {
            return done(Walkthrough.withoutModel("No walkthrough: the pull request changes no file drep may read "
                    + "(everything changed is ignored).", all));
        }
        WalkthroughTask.Prompt prompt = WalkthroughTask.prompt(files, settings);
        if (prompt.messages().isEmpty()) {
            return done(Walkthrough.withoutModel("No walkthrough: the pull request has no text changes to describe "
                    + "(only renames, mode changes or files over the walkthrough's budget).", all));
        }
        if (!settings.enabled()) {
            return done(Walkthrough.withoutModel("No walkthrough: the LLM analyzers are switched off.", all));
        }
        CompletionStage<Map<String, CachedAnalysis>> found = context.freshAnalysis()
                ? CompletableFuture.completedFuture(Map.of())
                : context.timeline().timeAsync(Stage.DATABASE, () -> cache.find(List.of(prompt.cacheKey())))
                        .exceptionally(e -> {
                            LOG.log(System.Logger.Level.WARNING, "analysis cache unavailable for job " + context.jobId()
                                    + "'s walkthrough: " + e);
                            return Map.of();
                        });
        return found.thenCompose(entries -> {
            CachedAnalysis cached = entries.get(prompt.cacheKey());
            if (cached != null && cached.walkthrough() != null) {
                return CompletableFuture.completedFuture(new Described(cached.walkthrough(),
                        new UnitUsage(1, 1, 0, 0, 0)));
            }
            return reserveAndCall(context, prompt, all);
        });
    }

    private CompletionStage<Described> reserveAndCall(UnitContext context, WalkthroughTask.Prompt prompt,
            List<String> all) {
        ChatRequest request = new ChatRequest(prompt.messages(), prompt.taskClass(), context.priority(),
                context.repository(), context.jobId(), settings.maxCompletionTokens(), context.freshAnalysis());
        long estimate = request.estimatedPromptTokens() + (long) settings.maxCompletionTokens();
        long limit = context.repositoryTokenCeiling() == null ? ceiling.ceiling()
                : Math.min(ceiling.ceiling(), context.repositoryTokenCeiling());
        CompletionStage<Boolean> reserved = limit == Long.MAX_VALUE ? CompletableFuture.completedFuture(true)
                : context.timeline().timeAsync(Stage.DATABASE, () -> ceiling.reserve(context.jobId(), estimate, limit))
                        .exceptionally(e -> {
                            // the gateway keeps its own budgets: a ceiling store that fails must not stop the walkthrough
                            LOG.log(System.Logger.Level.WARNING, "token ceiling unavailable for job " + context.jobId()
                                    + ": " + e);
                            return true;
                        });
        return reserved.thenCompose(granted -> {
            if (!granted) {
                return done(Walkthrough.withoutModel("No walkthrough: the job's LLM token ceiling of " + limit
                        + " tokens is reached.", all));
            }
            Instant started = context.timeline().now();
            CompletionStage<ChatOutcome> call;
            try {
                call = chat.complete(request);
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            return call.exceptionally(e -> new ChatOutcome.Refused("the LLM call failed: " + e.getMessage()))
                    .thenCompose(outcome -> {
                        context.timeline().record(Stage.LLM_CALL, started, context.timeline().now());
                        long used = outcome instanceof ChatOutcome.Answer a ? a.promptTokens() + a.completionTokens() : 0;
                        CompletionStage<Void> settled = limit == Long.MAX_VALUE ? CompletableFuture.completedFuture(null)
                                : ceiling.settle(context.jobId(), estimate, used).exceptionally(e -> null);
                        return settled.thenCompose(ignored -> answer(context, prompt, outcome, all));
                    });
        });
    }

    private CompletionStage<Described> answer(UnitContext context, WalkthroughTask.Prompt prompt, ChatOutcome outcome,
            List<String> all) {
        if (outcome instanceof ChatOutcome.Refused refused) {
            return done(Walkthrough.withoutModel("No walkthrough: " + refused.reason(), all));
        }
        ChatOutcome.Answer answer = (ChatOutcome.Answer) outcome;
        UnitUsage usage = new UnitUsage(1, answer.cacheHit() ? 1 : 0, answer.promptTokens(), answer.completionTokens(),
                answer.cost());
        WalkthroughTask.Reading reading = WalkthroughTask.read(answer.content(), prompt, settings.maxAnswerChars());
        if (reading.walkthrough() == null) {
            LOG.log(System.Logger.Level.INFO, "job " + context.jobId() + ": the model's walkthrough was not usable: "
                    + reading.problem());
            return CompletableFuture.completedFuture(new Described(Walkthrough.withoutModel("No walkthrough: the "
                    + "model's answer was not one (" + reading.problem() + ").", all), usage));
        }
        Described described = new Described(reading.walkthrough(), usage);
        return context.timeline().timeAsync(Stage.DATABASE, () -> cache.store(Map.of(prompt.cacheKey(),
                        new CachedAnalysis(List.of(), List.of(), reading.walkthrough()))))
                .exceptionally(e -> {
                    LOG.log(System.Logger.Level.WARNING, "could not cache job " + context.jobId() + "'s walkthrough: " + e);
                    return null;
                })
                .thenApply(stored -> described);
    }

    private static CompletionStage<Described> done(Walkthrough walkthrough) {
        return CompletableFuture.completedFuture(new Described(walkthrough, UnitUsage.NONE));
    }
}
