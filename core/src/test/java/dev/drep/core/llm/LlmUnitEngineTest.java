package dev.drep.core.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Stage;
import dev.drep.contracts.StageSpan;
import dev.drep.contracts.UnitUsage;
import dev.drep.core.profile.StageTimeline;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LlmUnitEngineTest {
    private static final Pattern FILE = Pattern.compile("### File: (\\S+)");
    private static final Pattern CHANGED = Pattern.compile("(?m)^\\s*(\\d+)\\+\\| (.*)$");
    private static final UnitContext CONTEXT = new UnitContext("job-1", "acme/repo", "interactive");

    /** A model that answers one finding per file of the request, on the file's first changed line. */
    static String oneFindingPerFile(ChatRequest request) {
        String user = request.messages().get(1).content();
        StringBuilder answer = new StringBuilder("{\"findings\":[");
        Matcher file = FILE.matcher(user);
        List<Integer> starts = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        while (file.find()) {
            starts.add(file.start());
            paths.add(file.group(1));
        }
        for (int i = 0; i < paths.size(); i++) {
            String section = user.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : user.length());
            Matcher changed = CHANGED.matcher(section);
            if (changed.find()) {
                answer.append(i > 0 ? "," : "").append("{\"path\":\"").append(paths.get(i)).append("\",\"line\":")
                        .append(changed.group(1)).append(",\"quote\":\"").append(changed.group(2).strip())
                        .append("\",\"severity\":\"high\",\"category\":\"bug\",\"message\":\"bug in ")
                        .append(paths.get(i)).append("\"}");
            }
        }
        return answer.append("]}").toString();
    }

    static final class ScriptedChat implements ChatPort {
        final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
        volatile Function<ChatRequest, ChatOutcome> script = r -> answer(oneFindingPerFile(r));

        @Override
        public CompletionStage<ChatOutcome> complete(ChatRequest request) {
            requests.add(request);
            return CompletableFuture.completedFuture(script.apply(request));
        }

        static ChatOutcome answer(String content) {
            return new ChatOutcome.Answer(content, "stop", 100, 20, 0.0, false);
        }
    }

    static final class MemoryCache implements AnalysisCache {
        final Map<String, CachedAnalysis> entries = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<Map<String, CachedAnalysis>> find(Collection<String> keys) {
            Map<String, CachedAnalysis> found = new ConcurrentHashMap<>();
            keys.forEach(k -> {
                if (entries.containsKey(k)) {
                    found.put(k, entries.get(k));
                }
            });
            return CompletableFuture.completedFuture(found);
        }

        @Override
        public CompletionStage<Void> store(Map<String, CachedAnalysis> stored) {
            entries.putAll(stored);
            return CompletableFuture.completedFuture(null);
        }
    }

    static final class SmallCeiling implements TokenCeiling {
        final long limit;
        final AtomicLong used = new AtomicLong();

        SmallCeiling(long limit) {
            this.limit = limit;
        }

        @Override
        public synchronized CompletionStage<Boolean> reserve(String jobId, long tokens, long ceiling) {
            if (used.get() + tokens > ceiling) {
                return CompletableFuture.completedFuture(false);
            }
            used.addAndGet(tokens);
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletionStage<Void> settle(String jobId, long reserved, long actual) {
            used.addAndGet(actual - reserved);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public long ceiling() {
            return limit;
        }
    }

    private final ScriptedChat chat = new ScriptedChat();
    private final MemoryCache cache = new MemoryCache();
    private final LlmReviewTask review = new LlmReviewTask(3, 32_000, 400_000);

    private LlmUnitEngine engine(EngineSettings settings, TokenCeiling ceiling) {
        return new LlmUnitEngine(chat, cache, ceiling, settings, Runnable::run);
    }

    private LlmUnitEngine engine() {
        return engine(EngineSettings.defaults(), TokenCeiling.unlimited());
    }

    private static FileToAnalyze file(String path, String blob, int changedLine) {
        return new FileToAnalyze(path, blob, LlmReviewTaskTest.lines(40), List.of(new LineRange(changedLine, changedLine)));
    }

    private UnitOutcome run(LlmUnitEngine engine, List<FileToAnalyze> files) {
        return engine.run(CONTEXT, files, review).toCompletableFuture().join();
    }

    @Test
    void aBatchOfFilesGoesInOneCallAndFindingsLandOnTheRightFileAndLine() {
        List<FileToAnalyze> files = List.of(file("src/a.py", "b1", 5), file("src/b.py", "b2", 17),
                file("src/c.py", "b3", 33), file("src/d.py", "b4", 1));
        UnitOutcome outcome = run(engine(), files);

        assertThat(chat.requests).hasSize(1);
        assertThat(chat.requests.get(0).taskClass()).isEqualTo("complex");
        assertThat(chat.requests.get(0).priority()).isEqualTo("interactive");
        assertThat(chat.requests.get(0).jobId()).isEqualTo("job-1");
        assertThat(outcome.findings()).extracting(Finding::path, Finding::line, Finding::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("src/a.py", 5, "bug in src/a.py"),
                org.assertj.core.groups.Tuple.tuple("src/b.py", 17, "bug in src/b.py"),
                org.assertj.core.groups.Tuple.tuple("src/c.py", 33, "bug in src/c.py"),
                org.assertj.core.groups.Tuple.tuple("src/d.py", 1, "bug in src/d.py"));
        assertThat(outcome.findings()).allSatisfy(f -> assertThat(f.rule()).isEqualTo("llm.bug"));
        assertThat(outcome.notAnalyzed()).isEmpty();
        assertThat(outcome.usage()).isEqualTo(new UnitUsage(1, 0, 100, 20, 0.0));
    }

    @Test
    void theTimelineSplitsEachCallIntoTheGatewaysQueueWaitAndTheCallAndRecordsTheCacheLookup() {
        chat.script = r -> {
            ChatOutcome.Answer plain = (ChatOutcome.Answer) ScriptedChat.answer(oneFindingPerFile(r));
            return new ChatOutcome.Answer(plain.content(), "stop", 100, 20, 0.0, false, 40);
        };
        // the clock moves 100 ms per reading: the call spans 100 ms, 40 of them in the gateway's queue
        java.time.Instant t0 = java.time.Instant.parse("2026-11-21T10:00:00Z");
        java.util.concurrent.atomic.AtomicLong ticks = new java.util.concurrent.atomic.AtomicLong();
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return t0.plusMillis(100 * ticks.getAndIncrement());
            }
        };
        StageTimeline timeline = new StageTimeline("u1", clock);
        engine().run(new UnitContext("job-1", "acme/repo", "interactive", timeline), List.of(file("src/a.py", "b1", 5)),
                review).toCompletableFuture().join();

        List<StageSpan> spans = timeline.spans();
        StageSpan wait = spans.stream().filter(s -> s.stage() == Stage.LLM_WAIT).findFirst().orElseThrow();
        StageSpan call = spans.stream().filter(s -> s.stage() == Stage.LLM_CALL).findFirst().orElseThrow();
        assertThat(wait.micros()).isEqualTo(40_000);
        assertThat(call.start()).isEqualTo(wait.end());
        assertThat(call.micros()).isEqualTo(60_000);
        assertThat(spans).extracting(StageSpan::stage).contains(Stage.DATABASE);
        assertThat(spans).allMatch(s -> s.source().equals("u1"));
    }

    @Test
    void eachFindingNamesTheModelThatAnsweredItsCallAlsoWhenReusedFromTheCache() {
        chat.script = r -> {
            ChatOutcome.Answer plain = (ChatOutcome.Answer) ScriptedChat.answer(oneFindingPerFile(r));
            return new ChatOutcome.Answer(plain.content(), "stop", 100, 20, 0.0, false, 0, "complex-fallback");
        };
        UnitOutcome first = run(engine(), List.of(file("src/a.py", "b1", 5)));
        UnitOutcome reused = run(engine(), List.of(new FileToAnalyze("other/a.py", "b1", LlmReviewTaskTest.lines(40),
                List.of(new LineRange(5, 5)))));

        assertThat(chat.requests).hasSize(1);
        assertThat(first.findings()).extracting(Finding::model).containsExactly("complex-fallback");
        assertThat(reused.findings()).extracting(Finding::path, Finding::model)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("other/a.py", "complex-fallback"));
    }

    @Test
    void anAnswerThatNamesNoModelLeavesTheFindingsWithoutOne() {
        UnitOutcome outcome = run(engine(), List.of(file("src/a.py", "b1", 5)));

        assertThat(outcome.findings()).extracting(Finding::model).containsOnlyNulls();
    }

    @Test
    void theSameContentAgainCostsNoCallAndIsRefilteredToTheNewChangedLines() {
        run(engine(), List.of(file("src/a.py", "b1", 5), file("src/b.py", "b2", 17)));
        assertThat(chat.requests).hasSize(1);

        // another pull request: same blobs, only a.py's finding line is still changed there
        FileToAnalyze sameA = new FileToAnalyze("other/a.py", "b1", LlmReviewTaskTest.lines(40),
                List.of(new LineRange(5, 5)));
        UnitOutcome second = run(engine(), List.of(sameA, file("src/b.py", "b2", 17)));
        assertThat(chat.requests).hasSize(1);
        assertThat(second.usage().cacheHits()).isEqualTo(2);
        assertThat(second.usage().promptTokens()).isZero();
        assertThat(second.findings()).extracting(Finding::path).containsExactly("other/a.py", "src/b.py");
    }

    @Test
    void aFreshAnalysisAsksTheModelAgainPastBothCachesAndStoresTheNewAnswer() {
        run(engine(), List.of(file("src/a.py", "b1", 5)));
        assertThat(chat.requests).hasSize(1);
        assertThat(chat.requests.get(0).bypassCache()).isFalse();

        // /drep review: the same content again is analysed again, and the gateway is asked not to answer from its cache
        UnitContext fresh = new UnitContext(CONTEXT.jobId(), CONTEXT.repository(), CONTEXT.priority(), null, null, true);
        UnitOutcome again = engine().run(fresh, List.of(file("src/a.py", "b1", 5)), review).toCompletableFuture().join();

        assertThat(chat.requests).hasSize(2);
        assertThat(chat.requests.get(1).bypassCache()).isTrue();
        assertThat(again.usage().cacheHits()).isZero();
        assertThat(cache.entries).hasSize(1);
    }

    @Test
    void aCachedAnalysisThatDoesNotCoverTheNewChangedLinesIsNotUsed() {
        run(engine(), List.of(file("src/a.py", "b1", 5)));
        FileToAnalyze wider = new FileToAnalyze("src/a.py", "b1", LlmReviewTaskTest.lines(40),
                List.of(new LineRange(5, 5), new LineRange(30, 30)));
        run(engine(), List.of(wider));
        assertThat(chat.requests).hasSize(2);
    }

    @Test
    void anEntryCachedBeforeQuotesExistedAnswersWithoutACallAndIsNotStoredUnderTheNewKey() {
        FileToAnalyze a = file("src/a.py", "b1", 5);
        // what drep before grounding cached: the same key but for the prompt version review-1, a finding without quote
        String legacyKey = CacheKeys.key("llm-review", "1", "default", "complex", "review-1", "v1",
                review.settingsFingerprint(), a);
        Finding unquoted = new Finding("llm.bug", "src/a.py", 5, dev.drep.contracts.Severity.ERROR, "cached long ago",
                null);
        cache.entries.put(legacyKey, new CachedAnalysis(List.of(unquoted), List.of(new LineRange(5, 5))));

        UnitOutcome outcome = run(engine(), List.of(a));
        assertThat(chat.requests).isEmpty();
        assertThat(outcome.findings()).containsExactly(unquoted);
        assertThat(outcome.usage().cacheHits()).isEqualTo(1);
        assertThat(cache.entries).containsOnlyKeys(legacyKey);
    }

    @Test
    void findingsTheModelCouldNotGroundAreCountedByReasonInTheOutcome() {
        chat.script = r -> ScriptedChat.answer("{\"findings\":["
                + "{\"path\":\"src/a.py\",\"line\":5,\"quote\":\"line 5 of the file\",\"severity\":\"low\",\"category\":\"style\",\"message\":\"kept\"},"
                + "{\"path\":\"src/a.py\",\"line\":5,\"quote\":\"def never_written():\",\"severity\":\"high\",\"category\":\"bug\",\"message\":\"made up\"},"
                + "{\"path\":\"src/a.py\",\"line\":6,\"severity\":\"high\",\"category\":\"bug\",\"message\":\"no quote\"},"
                + "{\"path\":\"src/zzz.py\",\"line\":5,\"quote\":\"line 5\",\"severity\":\"high\",\"category\":\"bug\",\"message\":\"elsewhere\"}]}");
        UnitOutcome outcome = run(engine(), List.of(file("src/a.py", "b1", 5)));
        assertThat(outcome.findings()).extracting(Finding::message).containsExactly("kept");
        assertThat(outcome.dropped()).containsOnly(Map.entry(DropReason.QUOTE_NOT_FOUND, 1),
                Map.entry(DropReason.NO_QUOTE, 1), Map.entry(DropReason.PATH_NOT_IN_REQUEST, 1));
        // what is cached is what was kept: a later hit drops nothing again
        UnitOutcome again = run(engine(), List.of(file("src/a.py", "b1", 5)));
        assertThat(again.findings()).extracting(Finding::message).containsExactly("kept");
        assertThat(again.dropped()).isEmpty();
    }

    @Test
    void anUnusableAnswerIsRetriedOnceWithAStricterInstructionThenNamed() {
        chat.script = r -> ScriptedChat.answer("The code looks fine to me.");
        UnitOutcome outcome = run(engine(), List.of(file("src/a.py", "b1", 5), file("src/b.py", "b2", 6)));
        assertThat(chat.requests).hasSize(2);
        assertThat(chat.requests.get(0).messages().get(0).content()).doesNotContain("IMPORTANT");
        assertThat(chat.requests.get(1).messages().get(0).content()).contains("your previous answer could not be used");
        assertThat(outcome.notAnalyzed()).containsExactly(
                new NotAnalyzed("src/a.py", "not analyzed: could not parse the model's answer: the answer contains no JSON"),
                new NotAnalyzed("src/b.py", "not analyzed: could not parse the model's answer: the answer contains no JSON"));
        assertThat(outcome.usage().llmCalls()).isEqualTo(2);
    }

    @Test
    void theStricterRetryCanRescueTheBatch() {
        List<String> answers = new CopyOnWriteArrayList<>(List.of("{\"findings\": \"none\"}"));
        chat.script = r -> answers.isEmpty() ? ScriptedChat.answer(oneFindingPerFile(r))
                : ScriptedChat.answer(answers.remove(0));
        UnitOutcome outcome = run(engine(), List.of(file("src/a.py", "b1", 5)));
        assertThat(chat.requests).hasSize(2);
        assertThat(outcome.findings()).hasSize(1);
        assertThat(outcome.notAnalyzed()).isEmpty();
    }

    @Test
    void aRefusalNamesEveryAffectedFileWithTheReason() {
        chat.script = r -> new ChatOutcome.Refused("LLM budget exhausted: daily tokens");
        UnitOutcome outcome = run(engine(), List.of(file("src/a.py", "b1", 5), file("src/b.py", "b2", 6)));
        assertThat(chat.requests).hasSize(1);
        assertThat(outcome.notAnalyzed()).extracting(NotAnalyzed::reason)
                .containsOnly("not analyzed: LLM budget exhausted: daily tokens").hasSize(2);
        assertThat(outcome.findings()).isEmpty();
        assertThat(cache.entries).isEmpty();
    }

    @Test
    void overTheJobCeilingFilesAreReviewedByPriorityAndTheRestNamed() {
        EngineSettings settings = new EngineSettings(true, "default", 12_000, 1, 5, 4096, 100, 25, 400_000, "v1");
        // one file per batch (about 700 tokens each with the system prompt); the ceiling admits one batch
        UnitOutcome outcome = run(engine(settings, new SmallCeiling(1_000)), List.of(file("package-lock.json", "b0", 5),
                file("docs/notes.txt", "b1", 5), file("src/main.py", "b2", 5)));
        assertThat(chat.requests).hasSize(1);
        assertThat(chat.requests.get(0).messages().get(1).content()).contains("### File: src/main.py");
        assertThat(outcome.findings()).extracting(Finding::path).containsExactly("src/main.py");
        assertThat(outcome.notAnalyzed()).extracting(NotAnalyzed::path)
                .containsExactly("docs/notes.txt", "package-lock.json");
        assertThat(outcome.notAnalyzed().get(0).reason())
                .startsWith("not analyzed: the job's LLM token ceiling of 1000 tokens is reached")
                .contains(ReviewPriority.RULE);
    }

    @Test
    void aLowerRepositoryCeilingAppliesAndIsNamedAsTheRepositorys() {
        EngineSettings settings = new EngineSettings(true, "default", 12_000, 1, 5, 4096, 100, 25, 400_000, "v1");
        UnitContext limited = new UnitContext("job-r", "acme/repo", "interactive", null, 1_000L);
        // the service has no ceiling; the repository's admits one batch of about 700 tokens
        UnitOutcome outcome = engine(settings, TokenCeiling.unlimited()).run(limited, List.of(
                file("package-lock.json", "b0", 5), file("docs/notes.txt", "b1", 5), file("src/main.py", "b2", 5)),
                review).toCompletableFuture().join();
        assertThat(chat.requests).hasSize(1);
        assertThat(outcome.findings()).extracting(Finding::path).containsExactly("src/main.py");
        assertThat(outcome.notAnalyzed()).extracting(NotAnalyzed::path).containsExactly("docs/notes.txt", "package-lock.json");
        assertThat(outcome.notAnalyzed().get(0).reason()).startsWith("not analyzed: the repository's LLM token ceiling "
                + "of 1000 tokens per review (max-llm-tokens in .drep.yaml) is reached").contains(ReviewPriority.RULE);
    }

    @Test
    void aRepositoryCeilingAboveTheServicesDoesNotRaiseIt() {
        EngineSettings settings = new EngineSettings(true, "default", 12_000, 1, 5, 4096, 100, 25, 400_000, "v1");
        UnitContext generous = new UnitContext("job-g", "acme/repo", "interactive", null, 1_000_000L);
        UnitOutcome outcome = engine(settings, new SmallCeiling(1_000)).run(generous, List.of(
                file("docs/notes.txt", "b1", 5), file("src/main.py", "b2", 5)), review).toCompletableFuture().join();
        assertThat(chat.requests).hasSize(1);
        assertThat(outcome.notAnalyzed()).extracting(NotAnalyzed::reason)
                .allMatch(reason -> reason.startsWith("not analyzed: the job's LLM token ceiling of 1000 tokens is reached"));
    }

    @Test
    void anAnswerCutOffTwiceKeepsItsFindingsAndSaysTheAnalysisIsIncomplete() {
        chat.script = r -> new ChatOutcome.Answer("{\"findings\":[{\"path\":\"src/a.py\",\"line\":5,\"quote\":\"line 5\",\"severity\":\"low\","
                + "\"category\":\"style\",\"message\":\"name\"},{\"path\":\"src/a.py\",\"li", "length", 10, 10, 0, false);
        UnitOutcome outcome = run(engine(), List.of(file("src/a.py", "b1", 5)));
        assertThat(chat.requests).hasSize(2);
        assertThat(outcome.findings()).extracting(Finding::line).containsExactly(5);
        assertThat(outcome.notAnalyzed()).extracting(NotAnalyzed::reason)
                .containsExactly("analysis incomplete: the model's answer was cut off, findings may be missing");
        assertThat(cache.entries).isEmpty();
    }

    @Test
    void onlyTheFailedChunkOfALargeFileIsNamed() {
        LlmReviewTask chunky = new LlmReviewTask(0, 2_000, 400_000);
        FileToAnalyze big = new FileToAnalyze("src/big.py", "b9", LlmReviewTaskTest.lines(200),
                List.of(new LineRange(1, 200)));
        EngineSettings settings = new EngineSettings(true, "default", 600, 16, 1, 4096, 100, 25, 400_000, "v1");
        List<Integer> calls = new CopyOnWriteArrayList<>();
        chat.script = r -> {
            calls.add(1);
            return calls.size() == 2 ? new ChatOutcome.Refused("LLM gateway unavailable (503)")
                    : ScriptedChat.answer(oneFindingPerFile(r));
        };
        UnitOutcome outcome = new LlmUnitEngine(chat, cache, TokenCeiling.unlimited(), settings, Runnable::run)
                .run(CONTEXT, List.of(big), chunky).toCompletableFuture().join();
        assertThat(outcome.notAnalyzed()).hasSize(1);
        assertThat(outcome.notAnalyzed().get(0).reason()).matches("lines \\d+-\\d+ not analyzed: LLM gateway unavailable \\(503\\)");
        assertThat(outcome.findings()).isNotEmpty();
    }

    @Test
    void switchedOffMeansNoCallsAndAnHonestNote() {
        EngineSettings off = new EngineSettings(false, "default", 12_000, 16, 5, 4096, 800, 25, 400_000, "v1");
        UnitOutcome outcome = run(engine(off, TokenCeiling.unlimited()), List.of(file("src/a.py", "b1", 5)));
        assertThat(chat.requests).isEmpty();
        assertThat(outcome.notAnalyzed()).containsExactly(new NotAnalyzed("src/a.py",
                "not analyzed: LLM analysis is switched off (drep.analyzer.llm.enabled=false)"));
    }

    @Test
    void enormousOutputIsRefusedAndRetriedOnce() {
        chat.script = r -> ScriptedChat.answer("{\"findings\":[" + "{\"path\":\"x\"},".repeat(50_000) + "]}");
        UnitOutcome outcome = run(engine(), List.of(file("src/a.py", "b1", 5)));
        assertThat(chat.requests).hasSize(2);
        assertThat(outcome.notAnalyzed().get(0).reason()).startsWith("not analyzed: could not parse the model's answer: the answer has");
    }

    @Test
    void aFailingChatPortBecomesANamedFailureNotAnException() {
        ChatPort broken = r -> {
            throw new IllegalStateException("boom");
        };
        UnitOutcome outcome = new LlmUnitEngine(broken, cache, TokenCeiling.unlimited(), EngineSettings.defaults(),
                Runnable::run).run(CONTEXT, List.of(file("src/a.py", "b1", 5)), review).toCompletableFuture().join();
        assertThat(outcome.notAnalyzed().get(0).reason()).isEqualTo("not analyzed: the LLM call failed: boom");
    }
}
