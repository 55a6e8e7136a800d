package dev.drep.core.llm;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Stage;
import dev.drep.contracts.UnitUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs an {@link LlmFileTask} over the files of one work unit: plans every file, answers what it can
 * from the {@link AnalysisCache}, packs the rest into batches ({@link BatchPacker}) in
 * {@link ReviewPriority} order, reserves each batch against the job's {@link TokenCeiling} (the lower of the
 * service's and the repository's, {@link UnitContext#repositoryTokenCeiling()}), sends the
 * batches (at most {@code maxParallelCalls} at once), asks once more with a stricter instruction when
 * an answer cannot be used, and stores what succeeded in the cache.
 *
 * <p>Nothing is passed over silently: a file whose batch was refused (gateway, budget, ceiling) or
 * whose answers could not be parsed is named in {@code notAnalyzed} with the reason, and the other
 * files' results still count. Thread-safe; one engine serves every unit.
 */
public final class LlmUnitEngine {
    private static final System.Logger LOG = System.getLogger(LlmUnitEngine.class.getName());
    private static final Comparator<Finding> MOST_SEVERE_FIRST = Comparator
            .comparing(Finding::severity, Comparator.reverseOrder())
            .thenComparingInt(Finding::line);
    private static final Comparator<Finding> BY_PATH_AND_LINE = Comparator.comparing(Finding::path)
            .thenComparingInt(Finding::line).thenComparing(Finding::rule);

    private final ChatPort chat;
    private final AnalysisCache cache;
    private final TokenCeiling ceiling;
    private final EngineSettings settings;
    private final Executor cpu;
    private final JsonAnswerExtractor extractor;

    /**
     * @param chat     where completions go
     * @param cache    the analysis cache ({@link AnalysisCache#none()} for none)
     * @param ceiling  the per-job token ceiling ({@link TokenCeiling#unlimited()} for none)
     * @param settings batching and limits
     * @param cpu      runs planning and answer parsing (never the caller's event loop)
     */
    public LlmUnitEngine(ChatPort chat, AnalysisCache cache, TokenCeiling ceiling, EngineSettings settings,
            Executor cpu) {
        this.chat = chat;
        this.cache = cache;
        this.ceiling = ceiling;
        this.settings = settings;
        this.cpu = cpu;
        this.extractor = new JsonAnswerExtractor(settings.maxAnswerChars());
    }

    /**
     * @param context who the calls are for
     * @param files   the unit's files
     * @param task    the analyzer
     * @return the unit's findings, not-analysed entries and usage; completes normally even when every
     *         call failed
     */
    public <S> CompletionStage<UnitOutcome> run(UnitContext context, List<FileToAnalyze> files, LlmFileTask<S> task) {
        return CompletableFuture.supplyAsync(() -> plan(files, task), cpu)
                .thenCompose(plans -> new UnitRun<>(context, task, plans).start());
    }

    private static <S> List<FilePlan<S>> plan(List<FileToAnalyze> files, LlmFileTask<S> task) {
        List<FilePlan<S>> plans = new ArrayList<>(files.size());
        for (FileToAnalyze file : files) {
            if (file.content() == null) {
                plans.add(FilePlan.skip(file, "the work unit carried no content for this file"));
                continue;
            }
            try {
                plans.add(task.plan(file));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "analyzer " + task.analyzer() + " failed on " + file.path(), e);
                plans.add(FilePlan.skip(file, "analyzer " + task.analyzer() + " failed: " + e));
            }
        }
        return plans;
    }

    /** One reserved (or refused) request. */
    private record Slot(Batch batch, List<ChatMessage> messages, long reserved, boolean granted) {
    }

    /** One attempt at a batch: refused, unusable or read. */
    private record Attempt(String refusal, String problem, AnswerReading reading, boolean truncated, long tokens) {
        boolean read() {
            return reading != null;
        }
    }

    /** What became of one batch. */
    private record BatchResult(Batch batch, Map<String, List<Finding>> findings, String failure, boolean incomplete,
            Map<DropReason, Integer> dropped) {
        static BatchResult failed(Batch batch, String reason) {
            return new BatchResult(batch, Map.of(), reason, false, Map.of());
        }
    }

    private final class UnitRun<S> {
        private final UnitContext context;
        private final LlmFileTask<S> task;
        private final List<FilePlan<S>> plans;
        private final List<Finding> inline = Collections.synchronizedList(new ArrayList<>());
        private final List<Finding> summary = Collections.synchronizedList(new ArrayList<>());
        private final List<NotAnalyzed> notAnalyzed = Collections.synchronizedList(new ArrayList<>());
        private final Usage usage = new Usage();
        private final Map<DropReason, Integer> dropped = new EnumMap<>(DropReason.class);
        /** The job's token ceiling for this unit; {@link Long#MAX_VALUE} for none. */
        private final long limit;
        /** True when the repository's ceiling is the one that applies. */
        private final boolean repositoryLimit;

        UnitRun(UnitContext context, LlmFileTask<S> task, List<FilePlan<S>> plans) {
            this.context = context;
            this.task = task;
            this.plans = plans;
            Long own = context.repositoryTokenCeiling();
            this.repositoryLimit = own != null && own >= 0 && own < ceiling.ceiling();
            this.limit = repositoryLimit ? own : ceiling.ceiling();
        }

        CompletionStage<UnitOutcome> start() {
            List<FilePlan<S>> needModel = new ArrayList<>();
            for (FilePlan<S> plan : plans) {
                if (plan.skipped() != null) {
                    notAnalyzed.add(plan.skipped());
                } else if (plan.items().isEmpty()) {
                    add(task.finish(plan, List.of()));
                } else if (!settings.llmEnabled()) {
                    add(task.finish(plan, List.of()));
                    notAnalyzed.add(new NotAnalyzed(plan.file().path(),
                            "not analyzed: LLM analysis is switched off (drep.analyzer.llm.enabled=false)"
                                    + task.partialNote()));
                } else {
                    needModel.add(plan);
                }
            }
            if (needModel.isEmpty()) {
                return CompletableFuture.completedFuture(outcome());
            }
            Map<FilePlan<S>, String> keys = new IdentityHashMap<>();
            Map<FilePlan<S>, List<String>> legacyKeys = new IdentityHashMap<>();
            List<List<String>> wanted = new ArrayList<>();
            for (FilePlan<S> plan : needModel) {
                String key = key(plan, task.promptVersion());
                if (key != null) {
                    keys.put(plan, key);
                    List<String> older = new ArrayList<>();
                    for (String version : task.legacyPromptVersions()) {
                        older.add(key(plan, version));
                    }
                    legacyKeys.put(plan, older);
                    List<String> all = new ArrayList<>(older.size() + 1);
                    all.add(key);
                    all.addAll(older);
                    wanted.add(all);
                }
            }
            return lookup(wanted).thenCompose(found -> {
                List<FilePlan<S>> misses = new ArrayList<>();
                for (FilePlan<S> plan : needModel) {
                    CachedAnalysis entry = cached(found, keys.get(plan), legacyKeys.getOrDefault(plan, List.of()),
                            plan.file().changedLines());
                    if (entry != null) {
                        usage.cacheHit();
                        add(task.finish(plan, withPath(entry.findings(), plan.file().path())));
                    } else {
                        misses.add(plan);
                    }
                }
                return misses.isEmpty() ? CompletableFuture.completedFuture(null) : analyse(misses, keys);
            }).thenApply(done -> outcome());
        }

        private String key(FilePlan<S> plan, String promptVersion) {
            return CacheKeys.key(task.analyzer(), task.version(), settings.model(), task.taskClass(), promptVersion,
                    settings.cacheNamespace(), task.settingsFingerprint(), plan.file());
        }

        /**
         * The entry under the current key, else under the newest legacy key, that covers the changed lines. A
         * legacy entry (an earlier prompt version, e.g. one that asked for no quote) is used as it was cached
         * and never stored again: the next miss stores under the current key.
         */
        private static CachedAnalysis cached(Map<String, CachedAnalysis> found, String key, List<String> legacy,
                List<LineRange> changed) {
            if (key == null) {
                return null;
            }
            CachedAnalysis current = found.get(key);
            if (current != null && current.covers(changed)) {
                return current;
            }
            for (String older : legacy) {
                CachedAnalysis entry = found.get(older);
                if (entry != null && entry.covers(changed)) {
                    return entry;
                }
            }
            return null;
        }

        private CompletionStage<Map<String, CachedAnalysis>> lookup(List<List<String>> keysByFile) {
            if (keysByFile.isEmpty() || context.freshAnalysis()) {
                return CompletableFuture.completedFuture(Map.of());
            }
            return context.timeline().timeAsync(Stage.DATABASE, () -> cache.findAny(keysByFile)).exceptionally(e -> {
                // a cache that cannot be read costs calls, not correctness
                LOG.log(System.Logger.Level.WARNING, "analysis cache lookup failed, analysing without it: " + e);
                return Map.of();
            });
        }

        private CompletionStage<Void> analyse(List<FilePlan<S>> misses, Map<FilePlan<S>, String> keys) {
            misses.sort(Comparator.comparing(FilePlan::file, ReviewPriority.ORDER));
            List<PromptItem> items = new ArrayList<>();
            misses.forEach(plan -> items.addAll(plan.items()));
            List<Batch> batches = BatchPacker.pack(items, settings.batchTokenBudget(), settings.maxItemsPerBatch());
            return reserveInOrder(batches)
                    .thenCompose(this::runAll)
                    .thenCompose(results -> conclude(misses, keys, results));
        }

        /** Reserves batch after batch in priority order; after the first refusal nothing lower may pass. */
        private CompletionStage<List<Slot>> reserveInOrder(List<Batch> batches) {
            List<Slot> slots = Collections.synchronizedList(new ArrayList<>());
            CompletionStage<Boolean> chain = CompletableFuture.completedFuture(true);
            for (Batch batch : batches) {
                chain = chain.thenCompose(granted -> {
                    List<ChatMessage> messages = task.prompt(batch, false);
                    long tokens = new ChatRequest(messages, task.taskClass(), context.priority(), context.repository(),
                            context.jobId(), settings.maxCompletionTokens()).estimatedPromptTokens()
                            + (long) settings.expectedCompletionTokens();
                    if (!granted) {
                        slots.add(new Slot(batch, messages, 0, false));
                        return CompletableFuture.completedFuture(false);
                    }
                    if (limit == Long.MAX_VALUE) {
                        slots.add(new Slot(batch, messages, 0, true));
                        return CompletableFuture.completedFuture(true);
                    }
                    return context.timeline().timeAsync(Stage.DATABASE, () -> ceiling.reserve(context.jobId(), tokens, limit))
                            .exceptionally(e -> {
                        // the gateway keeps its own budgets: a ceiling store that fails must not stop reviews
                        LOG.log(System.Logger.Level.WARNING, "token ceiling unavailable for job " + context.jobId()
                                + ", not enforced for this batch: " + e);
                        return true;
                    }).thenApply(ok -> {
                        slots.add(new Slot(batch, messages, ok ? tokens : 0, ok));
                        return ok;
                    });
                });
            }
            return chain.thenApply(last -> List.copyOf(slots));
        }

        private CompletionStage<List<BatchResult>> runAll(List<Slot> slots) {
            BatchResult[] results = new BatchResult[slots.size()];
            AtomicInteger next = new AtomicInteger();
            int workers = Math.min(settings.maxParallelCalls(), slots.size());
            CompletableFuture<?>[] running = new CompletableFuture<?>[workers];
            for (int w = 0; w < workers; w++) {
                running[w] = worker(slots, results, next);
            }
            return CompletableFuture.allOf(running).thenApply(done -> List.of(results));
        }

        private CompletableFuture<Void> worker(List<Slot> slots, BatchResult[] results, AtomicInteger next) {
            int index = next.getAndIncrement();
            if (index >= slots.size()) {
                return CompletableFuture.completedFuture(null);
            }
            return run(slots.get(index)).toCompletableFuture()
                    .thenCompose(result -> {
                        results[index] = result;
                        return worker(slots, results, next);
                    });
        }

        private CompletionStage<BatchResult> run(Slot slot) {
            if (!slot.granted()) {
                return CompletableFuture.completedFuture(BatchResult.failed(slot.batch(),
                        (repositoryLimit ? "the repository's LLM token ceiling of " + limit + " tokens per review "
                                + "(max-llm-tokens in .drep.yaml) is reached"
                                : "the job's LLM token ceiling of " + limit + " tokens is reached")
                                + " (files are reviewed by priority: " + ReviewPriority.RULE + ")"));
            }
            return ask(slot, false).thenCompose(first -> {
                if (first.refusal() != null) {
                    return CompletableFuture.completedFuture(List.of(first));
                }
                if (first.read() && !first.truncated()) {
                    return CompletableFuture.completedFuture(List.of(first));
                }
                return ask(slot, true).thenApply(second -> List.of(first, second));
            }).thenCompose(attempts -> {
                if (slot.reserved() == 0) {
                    return CompletableFuture.completedFuture(choose(slot.batch(), attempts)); // nothing counted: no ceiling
                }
                long used = attempts.stream().mapToLong(Attempt::tokens).sum();
                return context.timeline().timeAsync(Stage.DATABASE,
                                () -> ceiling.settle(context.jobId(), slot.reserved(), used > 0 ? used : slot.reserved()))
                        .exceptionally(e -> {
                            LOG.log(System.Logger.Level.WARNING, "could not settle tokens of job " + context.jobId()
                                    + ": " + e);
                            return null;
                        })
                        .thenApply(settled -> choose(slot.batch(), attempts));
            });
        }

        private BatchResult choose(Batch batch, List<Attempt> attempts) {
            Attempt first = attempts.get(0);
            Attempt last = attempts.get(attempts.size() - 1);
            for (Attempt attempt : attempts) {
                if (attempt.read() && !attempt.reading().rejected().isEmpty()) {
                    LOG.log(System.Logger.Level.INFO, task.analyzer() + " dropped " + attempt.reading().rejected().size()
                            + " entries of an answer for " + batch.paths() + ": " + attempt.reading().rejected());
                }
            }
            if (last.read()) {
                return new BatchResult(batch, last.reading().findings(), null, last.truncated(), last.reading().dropped());
            }
            if (first.read()) {
                // the stricter attempt failed; the first answer was cut off but usable: keep what it has
                return new BatchResult(batch, first.reading().findings(), null, true, first.reading().dropped());
            }
            return BatchResult.failed(batch, last.refusal() != null ? last.refusal() : last.problem());
        }

        private CompletionStage<Attempt> ask(Slot slot, boolean strict) {
            List<ChatMessage> messages = strict ? task.prompt(slot.batch(), true) : slot.messages();
            ChatRequest request = new ChatRequest(messages, task.taskClass(), context.priority(), context.repository(),
                    context.jobId(), settings.maxCompletionTokens(), context.freshAnalysis());
            CompletionStage<ChatOutcome> call;
            Instant started = context.timeline().now();
            try {
                call = chat.complete(request);
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            return call.exceptionally(e -> new ChatOutcome.Refused("the LLM call failed: " + e.getMessage()))
                    .thenApply(outcome -> {
                        recordCall(started, outcome);
                        return outcome;
                    })
                    .thenApplyAsync(outcome -> interpret(outcome, slot.batch()), cpu);
        }

        /** The gateway's admission wait is LLM_WAIT, the rest of the call LLM_CALL. */
        private void recordCall(Instant started, ChatOutcome outcome) {
            Instant ended = context.timeline().now();
            long wait = outcome instanceof ChatOutcome.Answer answer ? answer.queueWaitMillis() : 0;
            Instant admitted = started.plusMillis(wait);
            if (admitted.isAfter(ended)) {
                admitted = ended;
            }
            if (wait > 0) {
                context.timeline().record(Stage.LLM_WAIT, started, admitted);
            }
            context.timeline().record(Stage.LLM_CALL, admitted, ended);
        }

        private Attempt interpret(ChatOutcome outcome, Batch batch) {
            if (outcome instanceof ChatOutcome.Refused refused) {
                return new Attempt(refused.reason(), null, null, false, 0);
            }
            ChatOutcome.Answer answer = (ChatOutcome.Answer) outcome;
            usage.call(answer);
            long tokens = answer.promptTokens() + answer.completionTokens();
            ExtractedJson extracted = extractor.extract(answer.content());
            if (extracted instanceof ExtractedJson.Unusable unusable) {
                return new Attempt(null, "could not parse the model's answer: " + unusable.reason(), null, false, tokens);
            }
            ExtractedJson.Found found = (ExtractedJson.Found) extracted;
            AnswerReading reading;
            try {
                reading = task.read(found.json(), batch);
            } catch (RuntimeException e) {
                return new Attempt(null, "could not read the model's answer: " + e.getMessage(), null, false, tokens);
            }
            if (!reading.usable()) {
                return new Attempt(null, "could not parse the model's answer: " + String.join("; ", reading.rejected()),
                        null, false, tokens);
            }
            return new Attempt(null, null, withModel(reading, answer.model()), found.truncated() || answer.cutOff(),
                    tokens);
        }

        private CompletionStage<Void> conclude(List<FilePlan<S>> misses, Map<FilePlan<S>, String> keys,
                List<BatchResult> results) {
            Map<PromptItem, BatchResult> byItem = new IdentityHashMap<>();
            for (BatchResult result : results) {
                result.batch().items().forEach(item -> byItem.put(item, result));
                result.dropped().forEach(this::dropped);
            }
            Map<String, CachedAnalysis> store = new LinkedHashMap<>();
            for (FilePlan<S> plan : misses) {
                String path = plan.file().path();
                List<Finding> found = new ArrayList<>();
                List<PromptItem> failed = new ArrayList<>();
                String failure = null;
                boolean incomplete = false;
                Set<BatchResult> counted = Collections.newSetFromMap(new IdentityHashMap<>());
                for (PromptItem item : plan.items()) {
                    BatchResult result = byItem.get(item);
                    if (result.failure() != null) {
                        failed.add(item);
                        failure = result.failure();
                    } else {
                        if (counted.add(result)) {
                            found.addAll(result.findings().getOrDefault(path, List.of()));
                        }
                        incomplete |= result.incomplete();
                    }
                }
                List<Finding> kept = strongest(found);
                add(task.finish(plan, kept));
                if (failed.isEmpty()) {
                    if (incomplete) {
                        notAnalyzed.add(new NotAnalyzed(path, "analysis incomplete: the model's answer was cut off, "
                                + "findings may be missing" + task.partialNote()));
                    } else if (keys.containsKey(plan)) {
                        store.put(keys.get(plan), new CachedAnalysis(kept, plan.file().changedLines()));
                    }
                } else if (failed.size() == plan.items().size()) {
                    notAnalyzed.add(new NotAnalyzed(path, "not analyzed: " + failure + task.partialNote()));
                } else {
                    for (PromptItem item : failed) {
                        LineRange span = item.span();
                        notAnalyzed.add(new NotAnalyzed(path, "lines " + span.start() + "-" + span.end()
                                + " not analyzed: " + byItem.get(item).failure() + task.partialNote()));
                    }
                }
            }
            if (store.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            return context.timeline().timeAsync(Stage.DATABASE, () -> cache.store(store)).exceptionally(e -> {
                LOG.log(System.Logger.Level.WARNING, "could not store " + store.size() + " analysis cache entries: " + e);
                return null;
            });
        }

        private List<Finding> strongest(List<Finding> found) {
            Set<String> seen = new LinkedHashSet<>();
            List<Finding> unique = new ArrayList<>();
            for (Finding finding : found) {
                if (seen.add(finding.line() + "\u0000" + finding.rule() + "\u0000" + finding.message())) {
                    unique.add(finding);
                }
            }
            if (unique.size() <= settings.maxFindingsPerFile()) {
                return unique;
            }
            unique.sort(MOST_SEVERE_FIRST);
            dropped(DropReason.OVER_FILE_LIMIT, unique.size() - settings.maxFindingsPerFile());
            LOG.log(System.Logger.Level.INFO, task.analyzer() + " kept the " + settings.maxFindingsPerFile()
                    + " most severe of " + unique.size() + " findings of " + found.get(0).path());
            return List.copyOf(unique.subList(0, settings.maxFindingsPerFile()));
        }

        private void dropped(DropReason reason, int count) {
            synchronized (dropped) {
                dropped.merge(reason, count, Integer::sum);
            }
        }

        private void add(FileOutcome outcome) {
            inline.addAll(outcome.inline());
            summary.addAll(outcome.summary());
        }

        private UnitOutcome outcome() {
            List<Finding> sortedInline = new ArrayList<>(inline);
            sortedInline.sort(BY_PATH_AND_LINE);
            List<Finding> sortedSummary = new ArrayList<>(summary);
            sortedSummary.sort(BY_PATH_AND_LINE);
            List<NotAnalyzed> sortedNotAnalyzed = new ArrayList<>(notAnalyzed);
            sortedNotAnalyzed.sort(Comparator.comparing(NotAnalyzed::path).thenComparing(NotAnalyzed::reason));
            Map<DropReason, Integer> droppedSoFar;
            synchronized (dropped) {
                droppedSoFar = Map.copyOf(dropped);
            }
            return new UnitOutcome(sortedInline, sortedSummary, sortedNotAnalyzed, usage.snapshot(), droppedSoFar);
        }
    }

    /** The reading's findings, each naming the model that answered (for the acceptance rate per model). */
    private static AnswerReading withModel(AnswerReading reading, String model) {
        if (model == null) {
            return reading;
        }
        Map<String, List<Finding>> named = new LinkedHashMap<>();
        reading.findings().forEach((path, found) -> named.put(path, found.stream().map(f -> f.withModel(model)).toList()));
        return new AnswerReading(reading.usable(), named, reading.rejected(), reading.dropped());
    }

    private static List<Finding> withPath(List<Finding> findings, String path) {
        List<Finding> moved = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            moved.add(f.path().equals(path) ? f
                    : new Finding(f.rule(), path, f.line(), f.severity(), f.message(), f.suggestion())
                            .withEndLine(f.endLine()).withModel(f.model()));
        }
        return moved;
    }

    /** Calls, cache hits, tokens and cost of one unit. */
    private static final class Usage {
        private int calls;
        private int cacheHits;
        private long promptTokens;
        private long completionTokens;
        private double cost;

        synchronized void call(ChatOutcome.Answer answer) {
            calls++;
            if (answer.cacheHit()) {
                cacheHits++;
            }
            promptTokens += answer.promptTokens();
            completionTokens += answer.completionTokens();
            cost += answer.cost();
        }

        /** A file answered from the analysis cache: counted as a call answered from a cache (UnitUsage's rule). */
        synchronized void cacheHit() {
            calls++;
            cacheHits++;
        }

        synchronized UnitUsage snapshot() {
            return new UnitUsage(calls, cacheHits, promptTokens, completionTokens, cost);
        }
    }
}
