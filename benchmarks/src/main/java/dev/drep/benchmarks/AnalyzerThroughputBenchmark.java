package dev.drep.benchmarks;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.core.doccomment.DocCommentTask;
import dev.drep.core.doccomment.SourceLanguage;
import dev.drep.core.llm.AnalysisCache;
import dev.drep.core.llm.CachedAnalysis;
import dev.drep.core.llm.ChatOutcome;
import dev.drep.core.llm.ChatPort;
import dev.drep.core.llm.ChatRequest;
import dev.drep.core.llm.EngineSettings;
import dev.drep.core.llm.LlmFileTask;
import dev.drep.core.llm.LlmReviewTask;
import dev.drep.core.llm.LlmUnitEngine;
import dev.drep.core.llm.OpenAiWire;
import dev.drep.core.llm.ReviewPriority;
import dev.drep.core.llm.TokenCeiling;
import dev.drep.core.llm.UnitContext;
import dev.drep.core.llm.UnitOutcome;
import dev.drep.core.markdown.MarkdownAnalyzer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Throughput of the analyzer's LLM path on a synthetic corpus ({@link AnalyzerCorpus}): every pull
 * request's files are routed as proposed for the scanner (code → {@code llm-review} and
 * {@code doc-comments}, markdown → {@code markdown}, other text → {@code llm-review}), packed into work
 * units of {@code --files-per-unit} files in {@link ReviewPriority} order, and run through the core
 * engine ({@link LlmUnitEngine}: cache, batching, chunking, retries) against an OpenAI-compatible fake
 * provider answering after {@code --latency-ms}, with at most {@code --concurrency} calls in flight
 * (the gateway's global limit). Not a JMH benchmark: the quantity is calls and wall time, not
 * nanoseconds.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.drep.benchmarks.AnalyzerThroughputBenchmark
 * --prs 100 --latency-ms 2000 --concurrency 5 --files-per-unit 8}
 */
public final class AnalyzerThroughputBenchmark {

    private AnalyzerThroughputBenchmark() {
    }

    /** Command-line settings. */
    private record Settings(int prs, long latencyMillis, int concurrency, int filesPerUnit, int prsInFlight,
            int repushFiles, long seed) {
        static Settings parse(String[] args) {
            Map<String, String> a = new TreeMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
            }
            return new Settings(Integer.parseInt(a.getOrDefault("prs", "100")),
                    Long.parseLong(a.getOrDefault("latency-ms", "2000")),
                    Integer.parseInt(a.getOrDefault("concurrency", "5")),
                    Integer.parseInt(a.getOrDefault("files-per-unit", "8")),
                    Integer.parseInt(a.getOrDefault("prs-in-flight", "40")),
                    Integer.parseInt(a.getOrDefault("repush-files", "2")),
                    Long.parseLong(a.getOrDefault("seed", "42")));
        }
    }

    /** Calls go through a semaphore of {@code concurrency} permits, like the gateway's global limit. */
    private static final class HttpChat implements ChatPort {
        // own client: no test-support (TestHttpClient) in the benchmarks jar; the client is part of what is measured
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        /** How long a call may wait for its answer once sent: the provider's latency and a minute for the machine. */
        private final Duration requestTimeout;
        private final ExecutorService callers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-call");
            t.setDaemon(true);
            return t;
        });
        private final Semaphore permits;
        private final URI uri;
        final LongAdder callNanos = new LongAdder();
        final Map<String, AtomicInteger> callsByJob = new ConcurrentHashMap<>();

        HttpChat(String baseUrl, int concurrency, long latencyMillis) {
            this.permits = new Semaphore(concurrency, true);
            this.requestTimeout = Duration.ofMillis(latencyMillis).plusMinutes(1);
            this.uri = URI.create(baseUrl + "/v1/chat/completions");
        }

        @Override
        public CompletionStage<ChatOutcome> complete(ChatRequest request) {
            callsByJob.computeIfAbsent(request.jobId(), j -> new AtomicInteger()).incrementAndGet();
            String body = OpenAiWire.requestBody(request, "default", false);
            return CompletableFuture.supplyAsync(() -> {
                try {
                    permits.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new ChatOutcome.Refused("interrupted");
                }
                long start = System.nanoTime();
                try {
                    // a call that times out is refused below with the request named ("call failed:
                    // java.net.http.HttpTimeoutException: POST http://... had no answer within ...")
                    HttpResponse<String> response = NamedTimeouts.send(client, HttpRequest.newBuilder(uri)
                            .timeout(requestTimeout)
                            .header("Content-Type", "application/json")
                            .header(OpenAiWire.TASK_CLASS_HEADER, request.taskClass())
                            .header(OpenAiWire.PRIORITY_HEADER, request.priority())
                            .header(OpenAiWire.JOB_HEADER, request.jobId())
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    return OpenAiWire.readAnswer(response.body(), false, 0).<ChatOutcome>map(answer -> answer)
                            .orElse(new ChatOutcome.Refused("not a completion: HTTP " + response.statusCode()));
                } catch (Exception e) {
                    return new ChatOutcome.Refused("call failed: " + e);
                } finally {
                    callNanos.add(System.nanoTime() - start);
                    permits.release();
                }
            }, callers);
        }
    }

    /**
     * Runs the engine's CPU work (planning, parsing, prompt building, answer reading) and measures it
     * as thread CPU time, which other processes on a shared machine do not inflate (wall time of the
     * same tasks is kept too).
     */
    private static final class TimedPool implements java.util.concurrent.Executor {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final ExecutorService pool;
        final LongAdder busyNanos = new LongAdder();
        final LongAdder cpuNanos = new LongAdder();

        TimedPool(int threads) {
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "bench-cpu");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public void execute(Runnable command) {
            pool.execute(() -> {
                long start = System.nanoTime();
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                try {
                    command.run();
                } finally {
                    cpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpuStart);
                    busyNanos.add(System.nanoTime() - start);
                }
            });
        }
    }

    private static final class MemoryCache implements AnalysisCache {
        final Map<String, CachedAnalysis> entries = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<Map<String, CachedAnalysis>> find(Collection<String> keys) {
            Map<String, CachedAnalysis> found = new ConcurrentHashMap<>();
            for (String key : keys) {
                CachedAnalysis entry = entries.get(key);
                if (entry != null) {
                    found.put(key, entry);
                }
            }
            return CompletableFuture.completedFuture(found);
        }

        @Override
        public CompletionStage<Void> store(Map<String, CachedAnalysis> stored) {
            entries.putAll(stored);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** One pass over the corpus. */
    private record Pass(String name, int prs, int files, int llmFiles, long calls, long wallNanos, long cpuNanos,
            long busyNanos, long callNanos, int cacheHits, List<Integer> callsPerPr, Map<String, Integer> notAnalyzed, int findings) {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        AnalyzerCorpus corpus = new AnalyzerCorpus(settings.seed());
        List<AnalyzerCorpus.PullRequest> prs = corpus.pullRequests(settings.prs());
        try (AnalyzerFakeProvider provider = new AnalyzerFakeProvider(settings.latencyMillis())) {
            MemoryCache cache = new MemoryCache();
            // one task for both passes, as one analyzer service serves every push: its parse cache is warm
            DocCommentTask docs = new DocCommentTask(DocCommentTask.DEFAULT_PROPOSALS_PER_FILE);
            Pass first = run("first review", prs, provider, cache, docs, settings);
            List<AnalyzerCorpus.PullRequest> pushed = new ArrayList<>();
            prs.forEach(pr -> pushed.add(corpus.repush(pr, settings.repushFiles())));
            Pass second = run("second push (" + settings.repushFiles() + " files changed, cache warm)", pushed, provider,
                    cache, docs, settings);
            report(settings, prs, first, second);
        }
    }

    private static Pass run(String name, List<AnalyzerCorpus.PullRequest> prs, AnalyzerFakeProvider provider,
            MemoryCache cache, DocCommentTask docs, Settings settings) throws Exception {
        HttpChat chat = new HttpChat(provider.baseUrl(), settings.concurrency(), settings.latencyMillis());
        TimedPool cpu = new TimedPool(2);
        LlmUnitEngine engine = new LlmUnitEngine(chat, cache, TokenCeiling.unlimited(), EngineSettings.defaults(), cpu);
        LlmReviewTask review = new LlmReviewTask(8, 32_000, 400_000);
        MarkdownAnalyzer markdown = new MarkdownAnalyzer();
        long callsBefore = provider.requests();
        Semaphore inFlight = new Semaphore(settings.prsInFlight());
        List<CompletableFuture<List<UnitOutcome>>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (AnalyzerCorpus.PullRequest pr : prs) {
            inFlight.acquire();
            UnitContext context = new UnitContext("pr-" + pr.number() + "-" + name.hashCode(), "bench/repo", "interactive");
            List<CompletableFuture<UnitOutcome>> units = new ArrayList<>();
            List<FileToAnalyze> reviewFiles = new ArrayList<>();
            List<FileToAnalyze> docFiles = new ArrayList<>();
            for (FileToAnalyze file : pr.files()) {
                if (file.path().endsWith(".md")) {
                    units.add(CompletableFuture.supplyAsync(() -> {
                        markdown.analyze(file.path(), file.content());
                        return null;
                    }, cpu));
                    continue;
                }
                reviewFiles.add(file);
                if (SourceLanguage.of(file.path()).isPresent()) {
                    docFiles.add(file);
                }
            }
            units.addAll(units(engine, context, reviewFiles, review, settings.filesPerUnit()));
            units.addAll(units(engine, context, docFiles, docs, settings.filesPerUnit()));
            CompletableFuture<List<UnitOutcome>> done = CompletableFuture.allOf(units.toArray(CompletableFuture[]::new))
                    .thenApply(v -> units.stream().map(CompletableFuture::join).filter(o -> o != null).toList());
            done.whenComplete((r, e) -> inFlight.release());
            all.add(done);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        long wall = System.nanoTime() - start;

        Map<String, Integer> notAnalyzed = new TreeMap<>();
        int cacheHits = 0;
        int findings = 0;
        for (CompletableFuture<List<UnitOutcome>> pr : all) {
            for (UnitOutcome outcome : pr.join()) {
                cacheHits += outcome.usage().cacheHits();
                findings += outcome.findings().size() + outcome.summaryFindings().size();
                for (NotAnalyzed n : outcome.notAnalyzed()) {
                    notAnalyzed.merge(n.reason().replaceAll("\\d+", "N"), 1, Integer::sum);
                }
            }
        }
        List<Integer> perPr = new ArrayList<>();
        for (AnalyzerCorpus.PullRequest pr : prs) {
            AtomicInteger calls = chat.callsByJob.get("pr-" + pr.number() + "-" + name.hashCode());
            perPr.add(calls == null ? 0 : calls.get());
        }
        int files = prs.stream().mapToInt(pr -> pr.files().size()).sum();
        int llmFiles = (int) prs.stream().flatMap(pr -> pr.files().stream()).filter(f -> !f.path().endsWith(".md")).count();
        chat.callers.shutdownNow();
        cpu.pool.shutdownNow();
        return new Pass(name, prs.size(), files, llmFiles, provider.requests() - callsBefore, wall, cpu.cpuNanos.sum(),
                cpu.busyNanos.sum(), chat.callNanos.sum(), cacheHits, perPr, notAnalyzed, findings);
    }

    private static <S> List<CompletableFuture<UnitOutcome>> units(LlmUnitEngine engine, UnitContext context,
            List<FileToAnalyze> files, LlmFileTask<S> task, int filesPerUnit) {
        List<FileToAnalyze> ordered = new ArrayList<>(files);
        ordered.sort(ReviewPriority.ORDER);
        List<CompletableFuture<UnitOutcome>> units = new ArrayList<>();
        for (int from = 0; from < ordered.size(); from += filesPerUnit) {
            List<FileToAnalyze> slice = ordered.subList(from, Math.min(ordered.size(), from + filesPerUnit));
            units.add(engine.run(context, slice, task).toCompletableFuture());
        }
        return units;
    }

    private static int naiveCalls(AnalyzerCorpus.PullRequest pr) {
        DocCommentTask docs = new DocCommentTask();
        int calls = 0;
        for (FileToAnalyze file : pr.files()) {
            if (file.path().endsWith(".md")) {
                continue;
            }
            calls++;
            if (SourceLanguage.of(file.path()).isPresent() && !docs.plan(file).items().isEmpty()) {
                calls++;
            }
        }
        return calls;
    }

    private static void report(Settings s, List<AnalyzerCorpus.PullRequest> prs, Pass first, Pass second) {
        double naive = prs.stream().mapToInt(AnalyzerThroughputBenchmark::naiveCalls).average().orElse(0);
        System.out.printf(Locale.ROOT, "%nsettings: %d PRs, latency %d ms, %d calls in flight, %d files per unit, %d PRs in flight%n",
                s.prs(), s.latencyMillis(), s.concurrency(), s.filesPerUnit(), s.prsInFlight());
        System.out.printf(Locale.ROOT, "naive (one llm-review call per changed file + one doc call per file with doc issues): %.2f calls/PR -> %.0f PRs/hour at 2 s, %d in flight%n",
                naive, 3600.0 * s.concurrency() / (naive * 2.0), s.concurrency());
        for (Pass pass : List.of(first, second)) {
            double callsPerPr = (double) pass.calls() / pass.prs();
            double wallSeconds = pass.wallNanos() / 1e9;
            double cpuMillis = pass.cpuNanos() / 1e6;
            double callMillis = pass.callNanos() / 1e6;
            List<Integer> sorted = new ArrayList<>(pass.callsPerPr());
            sorted.sort(null);
            System.out.printf(Locale.ROOT, "%n== %s%n", pass.name());
            System.out.printf(Locale.ROOT, "PRs %d, files %d (%d through LLM analyzers), findings %d, analysis-cache hits %d%n",
                    pass.prs(), pass.files(), pass.llmFiles(), pass.findings(), pass.cacheHits());
            System.out.printf(Locale.ROOT, "LLM calls %d = %.2f per PR (median %d, max %d)%n", pass.calls(), callsPerPr,
                    sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
            System.out.printf(Locale.ROOT, "wall %.1f s -> %.0f PRs/hour measured at %d ms latency%n", wallSeconds,
                    pass.prs() * 3600.0 / wallSeconds, s.latencyMillis());
            System.out.printf(Locale.ROOT, "at 2 s latency and %d in flight, from the call count: %.0f PRs/hour%n",
                    s.concurrency(), 3600.0 * s.concurrency() / (Math.max(callsPerPr, 1e-9) * 2.0));
            double busyMillis = pass.busyNanos() / 1e6;
            System.out.printf(Locale.ROOT, "non-LLM processing: %.0f ms CPU (%.1f ms per PR), %.0f ms wall on a shared "
                    + "machine (%.1f ms per PR); LLM call time %.0f ms (%.0f ms per PR)%n", cpuMillis, cpuMillis / pass.prs(),
                    busyMillis, busyMillis / pass.prs(), callMillis, callMillis / pass.prs());
            System.out.printf(Locale.ROOT, "non-LLM share of the work (CPU / (CPU + call time)): %.3f %%; of the run's "
                    + "wall time on 2 cores: %.3f %%%n", 100.0 * cpuMillis / (cpuMillis + callMillis),
                    100.0 * cpuMillis / (wallSeconds * 1000 * 2));
            System.out.println("not analyzed: " + (pass.notAnalyzed().isEmpty() ? "none" : pass.notAnalyzed()));
        }
    }
}
