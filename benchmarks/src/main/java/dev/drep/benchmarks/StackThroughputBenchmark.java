package dev.drep.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drep.contracts.Stage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Review throughput of the whole stack: {@code drep up} starts the four packaged services with embedded
 * PostgreSQL and Artemis, the gateway pointed at an OpenAI-compatible fake provider ({@link AnalyzerFakeProvider})
 * that answers after {@code --latency-ms}, with the gateway's global limit at {@code --concurrency} calls in
 * flight. The program writes one git repository per pull request ({@link StackCorpus}: about 20 changed files
 * each, Java, Python, TypeScript, JavaScript, Go, markdown and YAML of mixed sizes), submits every pull request
 * at once with {@code POST /api/reviews}, waits for all jobs, and reads each job's profile
 * ({@code GET /api/jobs/{id}}) and review ({@code review.json}). It prints PRs per hour, LLM calls per PR
 * against the naive one call per changed file per LLM analyzer, whether every changed file was analysed,
 * and the non-LLM share of the wall time (definitions in docs/benchmarks.md). Not a JMH benchmark.
 *
 * <p>The gateway's rate limits (requests and tokens per minute) are lifted so that only the concurrency limit
 * binds, and its admission queue may hold a request for 10 minutes; everything else is the launcher's
 * configuration. A few warm-up pull requests (other repositories) go first and are not counted.
 *
 * <p>Run (the script stages a copy of the packaged stack first): {@code benchmarks/load/stack-throughput.sh}, or
 * {@code java -cp benchmarks/target/benchmarks.jar dev.drep.benchmarks.StackThroughputBenchmark --home STACK
 * --prs 100 --latency-ms 2000 --concurrency 5}, where STACK holds {@code launcher/target} and each service's
 * {@code target/quarkus-app} like the repository does.
 */
public final class StackThroughputBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    // own client: the benchmarks jar has no test-support (TestHttpClient); each request has a timeout, named when it
    // fires (NamedTimeouts)
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** How long a call to the scanner may wait for its answer: far above a slow answer of a loaded stack. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(1);
    private static final Set<Stage> LLM_STAGES = Set.of(Stage.LLM_CALL, Stage.LLM_WAIT);
    /** Stages that are work other than the LLM: everything except the LLM and waiting in a queue. */
    private static final Set<Stage> NON_LLM_WORK = Set.of(Stage.GIT, Stage.PLANNING, Stage.ANALYSIS, Stage.DATABASE,
            Stage.PUBLISHING);

    private StackThroughputBenchmark() {
    }

    /** Command-line settings. */
    private record Settings(Path home, Path work, int prs, int warmup, long latencyMillis, int concurrency, long seed,
            int startTimeoutSeconds, int maxMinutes) {
        static Settings parse(String[] args) throws IOException {
            Map<String, String> a = new TreeMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
            }
            if (!a.containsKey("home")) {
                throw new IllegalArgumentException("--home is required: a folder holding launcher/target and each "
                        + "service's target/quarkus-app");
            }
            Path work = a.containsKey("work") ? Path.of(a.get("work")) : Files.createTempDirectory("drep-stack-bench");
            return new Settings(Path.of(a.get("home")).toAbsolutePath(), work.toAbsolutePath(),
                    Integer.parseInt(a.getOrDefault("prs", "100")),
                    Integer.parseInt(a.getOrDefault("warmup", "3")),
                    Long.parseLong(a.getOrDefault("latency-ms", "2000")),
                    Integer.parseInt(a.getOrDefault("concurrency", "5")),
                    Long.parseLong(a.getOrDefault("seed", "42")),
                    Integer.parseInt(a.getOrDefault("start-timeout", "300")),
                    Integer.parseInt(a.getOrDefault("max-minutes", "60")));
        }
    }

    /** One submitted pull request and, once done, its job view and review. */
    private static final class Submitted {
        final StackCorpus.PullRequestRepository pr;
        final Path outputDir;
        final String jobId;
        JsonNode job;
        JsonNode review;

        Submitted(StackCorpus.PullRequestRepository pr, Path outputDir, String jobId) {
            this.pr = pr;
            this.outputDir = outputDir;
            this.jobId = jobId;
        }
    }

    /** A batch of pull requests reviewed together. */
    private record Batch(List<Submitted> jobs, Instant start, Instant submitted, Instant end, long providerCalls,
            long providerBusyNanos, long firstCallMillis, long lastAnswerMillis, List<long[]> timeline,
            List<AnalyzerFakeProvider.Call> calls) {
        Duration wall() {
            return Duration.between(start, end);
        }
    }

    public static void main(String[] args) throws Exception {
        // the JDK server would otherwise hold each answer's body back for the client's delayed ACK (40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Settings s = Settings.parse(args);
        Path repos = s.work().resolve("repos");
        long corpusStart = System.nanoTime();
        List<StackCorpus.PullRequestRepository> warmups = StackCorpus.write(new AnalyzerCorpus(s.seed() + 1), repos,
                "warmup", s.warmup());
        List<StackCorpus.PullRequestRepository> prs = StackCorpus.write(new AnalyzerCorpus(s.seed()), repos, "pr", s.prs());
        System.out.printf(Locale.ROOT, "corpus: %d repositories (+%d warm-up), %d changed files, written in %.1f s under %s%n",
                prs.size(), warmups.size(), prs.stream().mapToInt(p -> p.changed().size()).sum(),
                (System.nanoTime() - corpusStart) / 1e9, repos);

        try (AnalyzerFakeProvider provider = new AnalyzerFakeProvider(s.latencyMillis())) {
            Path data = s.work().resolve("data");
            String scanner = up(s, provider, data);
            try {
                if (!warmups.isEmpty()) {
                    Batch warm = review(s, scanner, provider, warmups, "warmup");
                    System.out.printf(Locale.ROOT, "warm-up: %d PRs in %.1f s%n", warm.jobs().size(),
                            warm.wall().toMillis() / 1000.0);
                }
                Batch batch = review(s, scanner, provider, prs, "pr");
                report(s, batch, provider);
            } finally {
                down(s, data);
            }
        }
    }

    // ------------------------------------------------------------------ the stack

    private static List<String> launcher(Settings s, String... args) {
        Path target = s.home().resolve("launcher").resolve("target");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                target.resolve("drep-launcher.jar") + ":" + target.resolve("lib") + "/*", "dev.drep.launcher.DrepCommand"));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs {@code drep up} and returns the scanner's base URL. */
    private static String up(Settings s, AnalyzerFakeProvider provider, Path data) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(launcher(s, "up", "--data", data.toString(), "--free-ports",
                "--start-timeout", Integer.toString(s.startTimeoutSeconds())))
                .directory(s.work().toFile()).inheritIO();
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("DREP_"));
        env.put("DREP_HOME", s.home().toString());
        env.put("DREP_LLM_BASE_URL", provider.baseUrl() + "/v1");
        env.put("DREP_LLM_MODEL", "bench-model");
        env.put("DREP_LLM_API_KEY", "bench-key-of-the-fake-provider");
        env.putAll(gatewaySettings(s));
        long start = System.nanoTime();
        int code = builder.start().waitFor();
        if (code != 0) {
            throw new IllegalStateException("drep up failed with exit code " + code + "; logs in " + data.resolve("logs"));
        }
        System.out.printf(Locale.ROOT, "stack up in %.1f s (data folder %s; gateway settings %s)%n",
                (System.nanoTime() - start) / 1e9, data, gatewaySettings(s));
        JsonNode state = JSON.readTree(data.resolve("stack.json").toFile());
        for (JsonNode service : state.path("services")) {
            if ("scanner-service".equals(service.path("name").asText())) {
                return service.path("url").asText();
            }
        }
        throw new IllegalStateException("no scanner-service in " + data.resolve("stack.json"));
    }

    /** The gateway's settings, as environment variables the services inherit from the launcher. */
    private static Map<String, String> gatewaySettings(Settings s) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DREP_GATEWAY_LIMITS_MAX_CONCURRENT", Integer.toString(s.concurrency()));
        env.put("DREP_GATEWAY_LIMITS_REQUESTS_PER_MINUTE", "0");
        env.put("DREP_GATEWAY_LIMITS_TOKENS_PER_MINUTE", "0");
        env.put("DREP_GATEWAY_LIMITS_MAX_QUEUE_WAIT", "600s");
        return env;
    }

    private static void down(Settings s, Path data) throws IOException, InterruptedException {
        int code = new ProcessBuilder(launcher(s, "down", "--data", data.toString())).directory(s.work().toFile())
                .inheritIO().start().waitFor();
        if (code != 0) {
            System.err.println("drep down exited with " + code);
        }
    }

    // ------------------------------------------------------------------ one batch

    private static Batch review(Settings s, String scanner, AnalyzerFakeProvider provider,
            List<StackCorpus.PullRequestRepository> prs, String name) throws Exception {
        provider.newWindow();
        long callsBefore = provider.requests();
        long busyBefore = provider.busyNanos();
        Instant start = Instant.now();
        List<Submitted> jobs = new ArrayList<>();
        for (StackCorpus.PullRequestRepository pr : prs) {
            Path out = s.work().resolve("out").resolve(pr.repository().getFileName());
            ObjectNode body = JSON.createObjectNode().put("repository", pr.repository().toString())
                    .put("base", StackCorpus.BASE).put("head", StackCorpus.HEAD).put("outputDir", out.toString());
            HttpResponse<String> response = NamedTimeouts.send(HTTP,
                    HttpRequest.newBuilder(URI.create(scanner + "/api/reviews")).timeout(REQUEST_TIMEOUT)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                throw new IllegalStateException("POST /api/reviews for " + pr.repository() + ": HTTP "
                        + response.statusCode() + " " + response.body());
            }
            jobs.add(new Submitted(pr, out, JSON.readTree(response.body()).path("id").asText()));
        }
        Instant submitted = Instant.now();
        System.out.printf(Locale.ROOT, "%s: %d PRs submitted in %.1f s%n", name, jobs.size(),
                Duration.between(start, submitted).toMillis() / 1000.0);
        awaitAll(s, scanner, jobs, name);
        Instant end = start;
        for (Submitted job : jobs) {
            job.job = getJson(scanner + "/api/jobs/" + job.jobId);
            Instant finished = instant(job.job.path("finishedAt"));
            end = finished.isAfter(end) ? finished : end;
            Path review = job.outputDir.resolve("review.json");
            job.review = Files.isRegularFile(review) ? JSON.readTree(review.toFile()) : null;
        }
        return new Batch(jobs, start, submitted, end, provider.requests() - callsBefore, provider.busyNanos() - busyBefore,
                provider.firstRequestMillis(), provider.lastAnswerMillis(), provider.timeline(),
                provider.calls());
    }

    private static void awaitAll(Settings s, String scanner, List<Submitted> jobs, String name) throws Exception {
        Map<String, Submitted> open = new HashMap<>();
        jobs.forEach(j -> open.put(j.jobId, j));
        long deadline = System.nanoTime() + Duration.ofMinutes(s.maxMinutes()).toNanos();
        long lastPrint = 0;
        while (!open.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": " + open.size() + " jobs not finished after " + s.maxMinutes()
                        + " minutes");
            }
            Thread.sleep(2_000);
            Map<String, Integer> byStatus = new TreeMap<>();
            for (JsonNode job : getJson(scanner + "/api/jobs?limit=500")) {
                String status = job.path("status").asText();
                if (jobs.stream().anyMatch(j -> j.jobId.equals(job.path("id").asText()))) {
                    byStatus.merge(status, 1, Integer::sum);
                    if (status.equals("DONE") || status.equals("FAILED")) {
                        open.remove(job.path("id").asText());
                    }
                }
            }
            if (System.nanoTime() - lastPrint > 30_000_000_000L || open.isEmpty()) {
                System.out.printf(Locale.ROOT, "%s: %s%n", name, byStatus);
                lastPrint = System.nanoTime();
            }
        }
    }

    /**
     * Slot time not spent in a provider call over the batch's wall time, split at the first and the last moment
     * all slots were busy: {ramp-up, middle, tail} in slot-milliseconds, then the middle's length in milliseconds.
     */
    private static long[] idleSlotMillis(Batch batch, int slots) {
        long start = batch.start().toEpochMilli();
        long end = batch.end().toEpochMilli();
        long[] full = fullSpan(batch, slots);
        long firstFull = full[0];
        long lastFull = full[1];
        long[] idle = new long[4];
        idle[3] = firstFull < 0 ? 0 : lastFull - firstFull;
        int inFlight = 0;
        long at = start;
        for (long[] event : batch.timeline()) {
            long t = Math.max(start, Math.min(end, event[0]));
            addIdle(idle, at, t, slots - Math.min(slots, inFlight), firstFull, lastFull);
            at = t;
            inFlight += (int) event[1];
        }
        addIdle(idle, at, end, slots - Math.min(slots, inFlight), firstFull, lastFull);
        return idle;
    }

    /**
     * Prints the drain: the calls answered after the last moment all slots were busy (and the round before it),
     * and the jobs that finished in that time, relative to the batch's start.
     */
    private static void printDrain(Batch batch, int slots, long latencyMillis) {
        long start = batch.start().toEpochMilli();
        long lastFull = fullSpan(batch, slots)[1];
        if (lastFull < 0) {
            return;
        }
        long from = lastFull - latencyMillis;
        System.out.printf(Locale.ROOT, "drain (times in s from the first POST; the last moment %d calls were in flight: "
                + "%.2f):%n", slots, (lastFull - start) / 1000.0);
        for (AnalyzerFakeProvider.Call call : batch.calls()) {
            if (call.answered() >= from) {
                System.out.printf(Locale.ROOT, "  call   %7.2f -> %7.2f  pr %3d  %-6s %2d %s%n", (call.arrived() - start) / 1000.0,
                        (call.answered() - start) / 1000.0, call.pr(), call.doc() ? "doc" : "review", call.files(),
                        call.doc() ? "declarations" : "files");
            }
        }
        batch.jobs().stream().filter(j -> instant(j.job.path("finishedAt")).toEpochMilli() >= from)
                .sorted(java.util.Comparator.comparing(j -> instant(j.job.path("finishedAt"))))
                .forEach(j -> System.out.printf(Locale.ROOT, "  job    finished %7.2f  pr %3d  %d LLM calls%n",
                        (instant(j.job.path("finishedAt")).toEpochMilli() - start) / 1000.0, j.pr.number(),
                        j.job.path("profile").path("usage").path("llmCalls").asInt()));
    }

    /** @return the first and the last moment (epoch ms) all slots were busy, -1 each when they never were */
    private static long[] fullSpan(Batch batch, int slots) {
        long firstFull = -1;
        long lastFull = -1;
        int inFlight = 0;
        for (long[] event : batch.timeline()) {
            boolean wasFull = inFlight >= slots;
            inFlight += (int) event[1];
            if (!wasFull && inFlight >= slots && firstFull < 0) {
                firstFull = event[0];
            }
            if (wasFull && inFlight < slots) {
                lastFull = event[0];
            }
        }
        return new long[] {firstFull, lastFull};
    }

    private static void addIdle(long[] idle, long from, long to, int idleSlots, long firstFull, long lastFull) {
        if (to <= from || idleSlots == 0) {
            return;
        }
        int part = firstFull < 0 || from < firstFull ? 0 : from >= lastFull ? 2 : 1;
        idle[part] += (to - from) * idleSlots;
    }

    /** A timestamp as Jackson writes an {@link Instant}: ISO-8601 text, or seconds with a fraction. */
    private static Instant instant(JsonNode value) {
        if (value.isNumber()) {
            return Instant.ofEpochSecond(0, Math.round(value.asDouble() * 1e9));
        }
        return Instant.parse(value.asText());
    }

    private static JsonNode getJson(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = NamedTimeouts.send(HTTP,
                HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    // ------------------------------------------------------------------ figures

    /** Calls the naive reviewer makes for a file: one per LLM analyzer the scanner routes it to. */
    static int naiveCalls(String path) {
        String extension = path.substring(path.lastIndexOf('.') + 1);
        return switch (extension) {
            case "java", "py", "ts", "js", "go" -> 2; // llm-review and doc-comments
            case "yaml", "json" -> 1; // llm-review
            default -> 0; // markdown: the deterministic markdown analyzer
        };
    }

    private static void report(Settings s, Batch batch, AnalyzerFakeProvider provider) {
        List<Submitted> jobs = batch.jobs();
        int prs = jobs.size();
        double wallSeconds = batch.wall().toMillis() / 1000.0;
        long done = jobs.stream().filter(j -> j.job.path("status").asText().equals("DONE")).count();
        int files = jobs.stream().mapToInt(j -> j.pr.changed().size()).sum();
        double naive = jobs.stream().flatMap(j -> j.pr.changed().stream()).mapToInt(StackThroughputBenchmark::naiveCalls)
                .sum() / (double) prs;
        List<Integer> calls = jobs.stream().map(j -> j.job.path("profile").path("usage").path("llmCalls").asInt())
                .sorted().toList();
        int cacheHits = jobs.stream().mapToInt(j -> j.job.path("profile").path("usage").path("cacheHits").asInt()).sum();
        double drepCalls = calls.stream().mapToInt(Integer::intValue).sum() / (double) prs;

        // coverage: the review names no file as not analysed, and every changed non-markdown file reached the LLM
        Map<String, Integer> notAnalyzed = new TreeMap<>();
        int missingReviews = 0;
        for (Submitted job : jobs) {
            if (job.review == null) {
                missingReviews++;
                continue;
            }
            for (JsonNode n : job.review.path("notAnalyzed")) {
                notAnalyzed.merge(n.path("reason").asText().replaceAll("\\d+", "N"), 1, Integer::sum);
            }
        }
        Set<String> reviewed = provider.reviewedPaths();
        Set<String> documented = provider.documentedPaths();
        int llmFiles = 0;
        int llmReviewed = 0;
        int codeFiles = 0;
        int codeInDocRequests = 0;
        int markdownFiles = 0;
        for (Submitted job : jobs) {
            for (String path : job.pr.changed()) {
                if (naiveCalls(path) == 0) {
                    markdownFiles++;
                    continue;
                }
                llmFiles++;
                llmReviewed += reviewed.contains(path) ? 1 : 0;
                if (naiveCalls(path) == 2) {
                    codeFiles++;
                    codeInDocRequests += documented.contains(path) ? 1 : 0;
                }
            }
        }

        // profiles: wall (exclusive attribution per job) and busy time per stage, summed over jobs
        Map<Stage, long[]> stages = new EnumMap<>(Stage.class);
        long jobWall = 0;
        long unaccounted = 0;
        for (Submitted job : jobs) {
            JsonNode profile = job.job.path("profile");
            jobWall += profile.path("wallMillis").asLong();
            unaccounted += profile.path("unaccountedMillis").asLong();
            for (JsonNode stage : profile.path("stages")) {
                long[] sums = stages.computeIfAbsent(Stage.valueOf(stage.path("stage").asText()), k -> new long[2]);
                sums[0] += stage.path("wallMillis").asLong();
                sums[1] += stage.path("busyMillis").asLong();
            }
        }
        long nonLlmBusy = NON_LLM_WORK.stream().mapToLong(st -> stages.getOrDefault(st, new long[2])[1]).sum();
        long llmCallBusy = stages.getOrDefault(Stage.LLM_CALL, new long[2])[1];
        double providerSeconds = batch.providerBusyNanos() / 1e9;
        double slotShare = 1 - providerSeconds / (s.concurrency() * wallSeconds);

        System.out.printf(Locale.ROOT, "%nsettings: %d PRs, provider latency %d ms, gateway limit %d calls in flight "
                + "(rate limits lifted), one repository per PR%n", prs, s.latencyMillis(), s.concurrency());
        System.out.printf(Locale.ROOT, "jobs: %d DONE of %d; %d changed files (%.1f per PR: %d markdown, %d code, %d YAML)%n",
                done, prs, files, files / (double) prs, markdownFiles, codeFiles, llmFiles - codeFiles);
        System.out.printf(Locale.ROOT, "wall time: %.1f s from the first POST to the last job's finishedAt (submission "
                + "took %.1f s)%n", wallSeconds, Duration.between(batch.start(), batch.submitted()).toMillis() / 1000.0);
        System.out.printf(Locale.ROOT, "PRs per hour: %.0f (seed: 450; target >= 1,350)%n", prs * 3600 / wallSeconds);
        System.out.printf(Locale.ROOT, "LLM calls per PR: naive (one per changed file per LLM analyzer) %.2f; drep %.2f "
                + "(median %d, max %d; %d cache hits) = %.1fx fewer; provider calls %d (%.2f per PR)%n", naive, drepCalls,
                calls.get(calls.size() / 2), calls.get(calls.size() - 1), cacheHits, naive / Math.max(drepCalls, 1e-9),
                batch.providerCalls(), batch.providerCalls() / (double) prs);
        System.out.printf(Locale.ROOT, "naive at the same settings: %.0f PRs per hour (%d slots x 3600 s / (%.2f calls x "
                + "%.1f s))%n", 3600.0 * s.concurrency() / (naive * s.latencyMillis() / 1000.0), s.concurrency(), naive,
                s.latencyMillis() / 1000.0);
        System.out.printf(Locale.ROOT, "files covered: reviews written %d of %d; not analysed: %s; changed non-markdown "
                + "files in a review prompt %d of %d; code files in a doc-comment prompt %d of %d (only files with doc "
                + "issues are sent)%n", prs - missingReviews, prs, notAnalyzed.isEmpty() ? "none" : notAnalyzed,
                llmReviewed, llmFiles, codeInDocRequests, codeFiles);
        System.out.printf(Locale.ROOT, "provider: %d calls, %.1f s answering in total, at most %d at once; first call "
                + "%.1f s after the first POST, last answer %.1f s before the last job finished%n", batch.providerCalls(),
                providerSeconds, provider.maxInFlight(), (batch.firstCallMillis() - batch.start().toEpochMilli()) / 1000.0,
                (batch.end().toEpochMilli() - batch.lastAnswerMillis()) / 1000.0);
        System.out.printf(Locale.ROOT, "non-LLM share of the run's wall time (LLM slots not in a provider call: 1 - "
                + "provider time / (%d x wall)): %.2f %%%n", s.concurrency(), 100 * slotShare);
        long[] idle = idleSlotMillis(batch, s.concurrency());
        System.out.printf(Locale.ROOT, "idle LLM slot time: %.1f slot-s = %.1f before %d calls were first in flight, %.1f "
                + "after the last moment %d were, %.1f in between%n", (idle[0] + idle[1] + idle[2]) / 1000.0,
                idle[0] / 1000.0, s.concurrency(), idle[2] / 1000.0, s.concurrency(), idle[1] / 1000.0);
        printDrain(batch, s.concurrency(), s.latencyMillis());
        System.out.printf(Locale.ROOT, "non-LLM share in the steady state (between those two moments, %.1f s): %.2f %%%n",
                idle[3] / 1000.0, 100.0 * idle[1] / Math.max(1, s.concurrency() * idle[3]));
        System.out.printf(Locale.ROOT, "non-LLM share of the jobs' work (profile busy time of git, planning, analysis, "
                + "database, publishing / (that + LLM_CALL)): %.2f %% (%.0f ms non-LLM work per PR)%n",
                100.0 * nonLlmBusy / Math.max(1, nonLlmBusy + llmCallBusy), nonLlmBusy / (double) prs);
        System.out.printf(Locale.ROOT, "profiles summed over the %d jobs (job wall %.0f s, unaccounted %.0f s):%n", prs,
                jobWall / 1000.0, unaccounted / 1000.0);
        System.out.printf(Locale.ROOT, "  %-11s %10s %7s %10s%n", "stage", "wall s", "share", "busy s");
        for (Stage stage : Stage.values()) {
            long[] sums = stages.getOrDefault(stage, new long[2]);
            System.out.printf(Locale.ROOT, "  %-11s %10.1f %6.1f%% %10.1f%s%n", stage, sums[0] / 1000.0,
                    100.0 * sums[0] / Math.max(1, jobWall), sums[1] / 1000.0, LLM_STAGES.contains(stage) ? "  (LLM)" : "");
        }
    }
}
