package dev.drep.core.describe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.UnitUsage;
import dev.drep.contracts.Walkthrough;
import dev.drep.core.llm.AnalysisCache;
import dev.drep.core.llm.CachedAnalysis;
import dev.drep.core.llm.ChatOutcome;
import dev.drep.core.llm.ChatPort;
import dev.drep.core.llm.ChatRequest;
import dev.drep.core.llm.TokenCeiling;
import dev.drep.core.llm.UnitContext;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class WalkthroughEngineTest {
    private static final UnitContext CONTEXT = new UnitContext("job-1", "acme/repo", "interactive");
    private static final WalkthroughSettings SETTINGS = new WalkthroughSettings(true, "default", "v1", 2_000, 1_000, 800,
            20_000);
    private static final String GOOD = """
            {"summary": "Adds a greeting.", "files": [{"path": "a.txt", "line": "New greeting."},
             {"path": "src/b.txt", "line": "Says goodbye."}]}""";

    private final Chat chat = new Chat();
    private final Cache cache = new Cache();

    static final class Chat implements ChatPort {
        final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
        volatile Function<ChatRequest, ChatOutcome> script = r -> new ChatOutcome.Answer(GOOD, "stop", 300, 40, 0.01,
                false);

        @Override
        public CompletionStage<ChatOutcome> complete(ChatRequest request) {
            requests.add(request);
            return CompletableFuture.completedFuture(script.apply(request));
        }
    }

    static final class Cache implements AnalysisCache {
        final Map<String, CachedAnalysis> entries = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<Map<String, CachedAnalysis>> find(Collection<String> keys) {
            Map<String, CachedAnalysis> found = new ConcurrentHashMap<>();
            keys.stream().filter(entries::containsKey).forEach(k -> found.put(k, entries.get(k)));
            return CompletableFuture.completedFuture(found);
        }

        @Override
        public CompletionStage<Void> store(Map<String, CachedAnalysis> stored) {
            entries.putAll(stored);
            return CompletableFuture.completedFuture(null);
        }
    }

    private WalkthroughEngine engine(TokenCeiling ceiling) {
        return new WalkthroughEngine(chat, cache, ceiling, SETTINGS);
    }

    private static List<FileToAnalyze> diffs() {
        return List.of(new FileToAnalyze("a.txt", null, "diff --git a/a.txt b/a.txt\n+hello\n", List.of()),
                new FileToAnalyze("src/b.txt", null, "diff --git a/src/b.txt b/src/b.txt\n+bye\n", List.of()));
    }

    private WalkthroughEngine.Described describe(WalkthroughEngine engine, UnitContext context, List<FileToAnalyze> files) {
        return engine.describe(context, files).toCompletableFuture().join();
    }

    @Test
    void oneSimpleCallDescribesTheChangeAndItsTokensAreCounted() {
        WalkthroughEngine.Described described = describe(engine(TokenCeiling.unlimited()), CONTEXT, diffs());

        assertThat(chat.requests).hasSize(1);
        assertThat(chat.requests.get(0).taskClass()).isEqualTo("simple");
        assertThat(chat.requests.get(0).jobId()).isEqualTo("job-1");
        assertThat(described.walkthrough().overview()).isEqualTo("Adds a greeting.");
        assertThat(described.walkthrough().files()).extracting(Walkthrough.FileLine::path).containsExactly("a.txt",
                "src/b.txt");
        assertThat(described.usage()).isEqualTo(new UnitUsage(1, 0, 300, 40, 0.01));
    }

    @Test
    void theSameDiffAgainIsAnsweredFromTheCacheWithoutACall() {
        describe(engine(TokenCeiling.unlimited()), CONTEXT, diffs());
        WalkthroughEngine.Described again = describe(engine(TokenCeiling.unlimited()),
                new UnitContext("job-2", "acme/repo", "interactive"), diffs());

        assertThat(chat.requests).hasSize(1);
        assertThat(again.walkthrough().overview()).isEqualTo("Adds a greeting.");
        assertThat(again.usage()).isEqualTo(new UnitUsage(1, 1, 0, 0, 0));
    }

    @Test
    void aFreshAnalysisIgnoresTheCacheAndAsksTheGatewayToBypassItsOwn() {
        describe(engine(TokenCeiling.unlimited()), CONTEXT, diffs());
        describe(engine(TokenCeiling.unlimited()), new UnitContext("job-2", "acme/repo", "interactive", null, null, true),
                diffs());

        assertThat(chat.requests).hasSize(2);
        assertThat(chat.requests.get(1).bypassCache()).isTrue();
    }

    @Test
    void anEmptyDiffMakesNoCallAndSaysSo() {
        WalkthroughEngine.Described described = describe(engine(TokenCeiling.unlimited()), CONTEXT, List.of());

        assertThat(chat.requests).isEmpty();
        assertThat(described.walkthrough().note()).startsWith("No walkthrough: the pull request changes no file");
        assertThat(described.usage()).isEqualTo(UnitUsage.NONE);
    }

    @Test
    void filesWithoutDiffTextMakeNoCallEither() {
        WalkthroughEngine.Described described = describe(engine(TokenCeiling.unlimited()), CONTEXT,
                List.of(new FileToAnalyze("logo.png", null, null, List.of())));

        assertThat(chat.requests).isEmpty();
        assertThat(described.walkthrough().unlisted()).containsExactly("logo.png");
        assertThat(described.walkthrough().note()).contains("no text changes");
    }

    @Test
    void anAnswerOfTheWrongShapeGivesNoModelTextAndIsNotCached() {
        chat.script = r -> new ChatOutcome.Answer("Sure! This PR is great. @everyone", "stop", 100, 10, 0, false);

        WalkthroughEngine.Described described = describe(engine(TokenCeiling.unlimited()), CONTEXT, diffs());

        assertThat(described.walkthrough().overview()).isEmpty();
        assertThat(described.walkthrough().files()).isEmpty();
        assertThat(described.walkthrough().unlisted()).containsExactly("a.txt", "src/b.txt");
        assertThat(described.walkthrough().note()).startsWith("No walkthrough: the model's answer was not one");
        assertThat(described.usage().llmCalls()).isEqualTo(1);
        assertThat(cache.entries).isEmpty();
    }

    @Test
    void aRefusedCallNamesTheReason() {
        chat.script = r -> new ChatOutcome.Refused("LLM budget exhausted: daily token budget of acme/repo");

        WalkthroughEngine.Described described = describe(engine(TokenCeiling.unlimited()), CONTEXT, diffs());

        assertThat(described.walkthrough().note()).isEqualTo("No walkthrough: LLM budget exhausted: daily token budget "
                + "of acme/repo");
    }

    @Test
    void theJobsTokenCeilingIsRespected() {
        WalkthroughEngine.Described described = describe(engine(TokenCeiling.unlimited()),
                new UnitContext("job-3", "acme/repo", "interactive", null, 50L), diffs());

        assertThat(chat.requests).isEmpty();
        assertThat(described.walkthrough().note()).contains("token ceiling of 50 tokens");
    }
}
