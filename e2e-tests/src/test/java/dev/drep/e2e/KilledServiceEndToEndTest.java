package dev.drep.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.drep.contracts.Review;
import dev.drep.launcher.stack.ServiceKind;
import dev.drep.launcher.stack.StackDaemon;
import dev.drep.launcher.stack.StackState;
import dev.drep.launcher.stack.StateFile;
import dev.drep.testsupport.git.TestRepository;
import dev.drep.testsupport.llm.FakeLlmServer;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's central test: a review of a change of more than 100 files on a {@code drep up} stack, with one
 * service killed with SIGKILL while the job runs and restarted by the stack's supervisor (as Kubernetes would),
 * is the same review as an undisturbed run of the same change — the same findings and the same "not analysed"
 * list — and {@code drep review} exits 0. So is one during which the broker, or PostgreSQL, is restarted, and one whose
 * analyzer gets a SIGTERM while it holds units. Prints how much longer each disturbed review took.
 *
 * <p>Markdown files give deterministic findings; Java files go to the LLM analyzers, answered by a fake provider
 * with a latency, so the job is still analysing when the service is killed and the gateway is on the job's path.
 * The analyzer's and the gateway's caches are off for this module (pom.xml), or the disturbed runs would take the
 * LLM results of the undisturbed one from them and never wait for the provider.
 */
class KilledServiceEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final String API_KEY = "sk-killed-service-e2e";
    // the provider's answer to both LLM analyzers: no findings (llm-review) and no proposed documentation (doc-comments)
    private static final String NOTHING_TO_ADD = "{\"findings\":[],\"docs\":[]}";
    private static final int MARKDOWN_FILES = 100;
    private static final int JAVA_FILES = 30;
    // long enough that the LLM units are still in hand when the markdown units are done
    private static final Duration LLM_LATENCY = Duration.ofSeconds(3);
    private static final Pattern UNITS_DONE = Pattern.compile("(\\d+) of (\\d+) units done");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Map<String, Duration> EXTRA_TIME = new ConcurrentHashMap<>();

    @TempDir
    static Path work;
    private static FakeLlmServer llm;
    private static Drep drep;
    private static Path repository;
    private static Review undisturbed;
    private static Duration undisturbedTime;
    private static Duration firstTime;

    @BeforeAll
    static void startStackAndReviewUndisturbed() throws Exception {
        llm = FakeLlmServer.start().expectApiKey(API_KEY).answer(NOTHING_TO_ADD).latency(LLM_LATENCY);
        repository = work.resolve("change");
        createChange(repository);
        drep = new Drep(work.resolve("data"), Map.of(
                "DREP_LLM_BASE_URL", llm.baseUrl(),
                "DREP_LLM_MODEL", FakeLlmServer.DEFAULT_MODEL,
                "DREP_LLM_API_KEY", API_KEY));
        Drep.Run up = drep.run(work, "up", "--free-ports");
        assertThat(up.exitCode()).as("drep up: %s%n%s", up.out(), up.err()).isZero();

        // twice: the first review of a fresh stack warms its JVMs up, the second is the time to compare with
        Review first = undisturbedReview("undisturbed-first");
        int calls = llm.chatRequests().size();
        undisturbed = undisturbedReview("undisturbed");
        assertThat(llm.chatRequests().size()).as("the second review called the provider again").isGreaterThan(calls);
        assertThat(undisturbed.findings()).as("the markdown problems of every file")
                .hasSizeGreaterThanOrEqualTo(2 * MARKDOWN_FILES)
                .containsExactlyElementsOf(first.findings());
        assertThat(undisturbed.findings()).as("the LLM analyzers' findings: a missing doc comment on each new method")
                .filteredOn(f -> f.rule().equals("doc.missing")).hasSize(JAVA_FILES);
        assertThat(undisturbed.notAnalyzed()).as("not analysed").isEmpty();
        assertThat(first.notAnalyzed()).as("not analysed").isEmpty();
        System.out.printf(Locale.ROOT, "undisturbed review of %d files: %.1f s (the stack's first: %.1f s)%n",
                MARKDOWN_FILES + JAVA_FILES, undisturbedTime.toMillis() / 1000.0, firstTime.toMillis() / 1000.0);
    }

    private static Review undisturbedReview(String name) throws IOException {
        long started = System.nanoTime();
        Drep.Run run = drep.run(work, "review", repository.toString(), "--out", work.resolve(name).toString());
        firstTime = undisturbedTime;
        undisturbedTime = Duration.ofNanos(System.nanoTime() - started);
        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isZero();
        return review(work.resolve(name));
    }

    @AfterAll
    static void stop() {
        if (drep != null) {
            drep.run(work, "down");
        }
        if (llm != null) {
            llm.close();
        }
        EXTRA_TIME.forEach((disturbance, extra) -> System.out.printf(Locale.ROOT,
                "recovery from %s: the review took %.1f s longer than undisturbed (%.1f s)%n", disturbance,
                extra.toMillis() / 1000.0, undisturbedTime.toMillis() / 1000.0));
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void aServiceKilledWhileTheJobRunsChangesNothingInTheReview(ServiceKind killed) throws Exception {
        awaitEveryServiceReady();
        DisturbedReview review = DisturbedReview.start("killed-" + killed.module());
        review.awaitMidAnalysis(killed.module());
        StackState.Service before = service(killed);
        ProcessHandle process = ProcessHandle.of(before.pid()).orElseThrow();
        int callsAtTheKill = llm.chatRequests().size();
        long killedAt = System.nanoTime();
        assertThat(process.destroyForcibly()).as("SIGKILL sent to the %s", killed.module()).isTrue();
        Duration back = awaitRestartedAndReady(killed, before, killedAt);

        review.finish("killed " + killed.module(), killedAt, back, callsAtTheKill);
    }

    /**
     * A SIGTERM — what Kubernetes sends first, at every rollout — to the analyzer while it holds units: it takes no
     * more, finishes or releases those in hand within its grace ({@code QueueIntake.stop}), exits, and the supervisor
     * starts it again. Nothing is lost: the review is the same.
     */
    @Test
    void anAnalyzerStoppedWithSigtermWhileItHoldsUnitsLosesNothing() throws Exception {
        awaitEveryServiceReady();
        DisturbedReview review = DisturbedReview.start("sigterm-analyzer-service");
        review.awaitMidAnalysis("the analyzer");
        StackState.Service before = service(ServiceKind.ANALYZER);
        int callsAtTheSignal = llm.chatRequests().size();
        long signalledAt = System.nanoTime();
        assertThat(ProcessHandle.of(before.pid()).orElseThrow().destroy()).as("SIGTERM sent to the analyzer").isTrue();
        Duration back = awaitRestartedAndReady(ServiceKind.ANALYZER, before, signalledAt);

        review.finish("SIGTERM to analyzer-service", signalledAt, back, callsAtTheSignal);
    }

    /** Until the supervisor has started the service again and it is ready; how long that took since {@code since}. */
    private static Duration awaitRestartedAndReady(ServiceKind kind, StackState.Service before, long since) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            StackState.Service now = service(kind);
            return now.pid() != before.pid() && now.restarts() == before.restarts() + 1;
        });
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> ready(service(kind).readinessUri()));
        return Duration.ofNanos(System.nanoTime() - since);
    }

    /**
     * The same with the broker, or PostgreSQL, stopped and started again (same port, same journal or data folder)
     * while the job runs: the stack daemon does it when asked by a file in its data folder
     * ({@link StackDaemon#RESTART_BROKER}, {@link StackDaemon#RESTART_POSTGRES}). Every service loses its connections
     * to it at once, mid-job, and must reconnect by itself.
     */
    @ParameterizedTest
    @ValueSource(strings = {StackDaemon.RESTART_BROKER, StackDaemon.RESTART_POSTGRES})
    void aRestartOfTheBrokerOrOfPostgresWhileTheJobRunsChangesNothingInTheReview(String restart) throws Exception {
        awaitEveryServiceReady();
        DisturbedReview review = DisturbedReview.start(restart);
        review.awaitMidAnalysis(restart);
        int callsAtTheRestart = llm.chatRequests().size();
        long restartedAt = System.nanoTime();
        Path request = work.resolve("data").resolve(restart);
        Files.createFile(request);
        // the daemon removes the file once the broker or PostgreSQL is back
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> !Files.exists(request));
        Duration back = Duration.ofNanos(System.nanoTime() - restartedAt);
        assertThat(Files.readString(work.resolve("data").resolve("logs").resolve("stack.log")))
                .as("the daemon's log").containsPattern("(the AMQP broker|PostgreSQL) is back after \\d+ ms");

        review.finish(restart.replace('-', ' '), restartedAt, back, callsAtTheRestart);
    }

    /** One review on another thread, disturbed while it runs, then compared with the undisturbed one. */
    private record DisturbedReview(String name, Path out, StringWriter progress, long started, AtomicLong finished,
            CompletableFuture<Drep.Run> run) {

        static DisturbedReview start(String name) {
            Path out = work.resolve(name);
            StringWriter progress = new StringWriter();
            AtomicLong finished = new AtomicLong();
            long started = System.nanoTime();
            CompletableFuture<Drep.Run> run = CompletableFuture.supplyAsync(() -> {
                Drep.Run result = drep.run(work, progress, "review", repository.toString(), "--out", out.toString());
                finished.set(System.nanoTime());
                return result;
            });
            return new DisturbedReview(name, out, progress, started, finished, run);
        }

        /**
         * Until the job is analysing: the gateway waits for the provider, and some units are done (or the provider
         * has been answering for a second: a scanner just restarted, cold on a loaded machine, may answer the
         * review's polls late).
         */
        void awaitMidAnalysis(String what) {
            AtomicLong providerBusySince = new AtomicLong();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> run.isDone() || midAnalysis(progress.toString(), providerBusySince));
            assertThat(run).as("the review was still running when %s was to be disturbed%n%s", what, progress)
                    .isNotDone();
        }

        /** Waits for the review's end and holds it to the undisturbed one; prints and keeps the extra time. */
        void finish(String disturbance, long disturbedAt, Duration back, int callsAtTheDisturbance) throws Exception {
            Drep.Run result = run.get(5, TimeUnit.MINUTES);
            Duration took = Duration.ofNanos(finished.get() - started);
            keepLogs(name);
            EXTRA_TIME.put(disturbance, took.minus(undisturbedTime));
            System.out.printf(Locale.ROOT, "%s %.1f s into the review, back %.1f s later: the review took %.1f s "
                    + "(undisturbed %.1f s), %d provider calls after it%n", disturbance, (disturbedAt - started) / 1e9,
                    back.toMillis() / 1000.0, took.toMillis() / 1000.0, undisturbedTime.toMillis() / 1000.0,
                    llm.chatRequests().size() - callsAtTheDisturbance);

            assertThat(result.exitCode()).as("drep review exits 0 over %s%n%s%n%s", disturbance, result.out(), result.err())
                    .isZero();
            Review disturbed = review(out);
            assertThat(disturbed.head()).isEqualTo(undisturbed.head());
            assertThat(disturbed.findings()).as("findings").containsExactlyElementsOf(undisturbed.findings());
            assertThat(disturbed.summaryFindings()).as("summary findings")
                    .containsExactlyElementsOf(undisturbed.summaryFindings());
            assertThat(disturbed.notAnalyzed()).as("not analysed")
                    .containsExactlyInAnyOrderElementsOf(undisturbed.notAnalyzed());
            assertThat(disturbed.counts()).isEqualTo(undisturbed.counts());
        }
    }

    // 100 markdown files with a trailing space and a long line each, and 30 Java files with a new method
    private static void createChange(Path dir) {
        try (TestRepository repo = TestRepository.init(dir)) {
            for (int i = 0; i < MARKDOWN_FILES; i++) {
                repo.write(markdown(i), "# Page " + i + "\n\nSome text.\n");
            }
            for (int i = 0; i < JAVA_FILES; i++) {
                repo.write(java(i), "package sample;\n\npublic class Sample" + i + " {\n}\n");
            }
            repo.commit("base");
            for (int i = 0; i < MARKDOWN_FILES; i++) {
                repo.write(markdown(i), "# Page " + i + "\n\nSome text.\nA new line with trailing space \n"
                        + SampleRepository.LONG_LINE + "\n");
            }
            for (int i = 0; i < JAVA_FILES; i++) {
                repo.write(java(i), "package sample;\n\npublic class Sample" + i + " {\n"
                        + "    public int twice(int value) {\n        return value * " + (i + 2) + ";\n    }\n}\n");
            }
            repo.commit("head: 130 changed files");
        }
    }

    private static String markdown(int i) {
        return String.format(Locale.ROOT, "docs/page-%03d.md", i);
    }

    private static String java(int i) {
        return "src/sample/Sample" + i + ".java";
    }

    private static boolean midAnalysis(String progress, AtomicLong providerBusySince) {
        if (llm.inFlight() == 0) {
            return false;
        }
        providerBusySince.compareAndSet(0, System.nanoTime());
        return analysingWithSomeUnitsDone(progress)
                || System.nanoTime() - providerBusySince.get() > Duration.ofSeconds(1).toNanos();
    }

    private static boolean analysingWithSomeUnitsDone(String progress) {
        Matcher matcher = UNITS_DONE.matcher(progress);
        boolean some = false;
        while (matcher.find()) {
            int done = Integer.parseInt(matcher.group(1));
            some = done > 0 && done < Integer.parseInt(matcher.group(2));
        }
        return some;
    }

    // the stack's logs outlive the temporary folder, for whoever looks into a failure
    private static void keepLogs(String name) throws IOException {
        Path logs = work.resolve("data").resolve("logs");
        Path kept = Path.of("target", "killed-service-logs", name);
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = kept.resolve(logs.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Review review(Path out) throws IOException {
        return JSON.readValue(out.resolve("review.json").toFile(), Review.class);
    }

    private static StackState.Service service(ServiceKind kind) {
        StackState state = new StateFile(work.resolve("data").resolve("stack.json")).read().orElseThrow();
        return state.service(kind).orElseThrow();
    }

    private static void awaitEveryServiceReady() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (ServiceKind kind : ServiceKind.values()) {
                if (!ready(service(kind).readinessUri())) {
                    return false;
                }
            }
            return true;
        });
    }

    // the one HTTP call of this test: readiness, which needs no token
    private static boolean ready(URI readiness) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
