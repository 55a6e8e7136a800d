package dev.drep.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.drep.contracts.Review;
import dev.drep.launcher.stack.ServiceKind;
import dev.drep.launcher.stack.StackDaemon;
import dev.drep.launcher.stack.StackState;
import dev.drep.testsupport.git.TestRepository;
import dev.drep.testsupport.llm.FakeLlmServer;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14's central test: a review of a change of more than 100 files on a {@code drep up} stack, with one
 * service killed with SIGKILL while the job runs and restarted by the stack's supervisor (as Kubernetes would),
 * is the same review as an undisturbed run of the same change — the same findings and the same "not analysed"
 * list — and {@code drep review} exits 0. So is one during which the broker, or PostgreSQL, is restarted, and one whose
 * analyzer gets a SIGTERM while it holds units. Prints how much longer each disturbed review took.
 *
 * <p>Each run reviews the change twice at once: locally ({@code drep review}) and as a pull request opened on a fake
 * Gitea ({@link GiteaFake}), delivered to the scanner by signed webhook — a pull request of its own per run, each
 * with a head commit of its own (the same tree). What Gitea receives for the pull request of a disturbed run —
 * commit statuses, the review with its inline comments, the summary comment — is what it received for the
 * undisturbed run's, request for request: the same content, and nothing posted twice.
 *
 * <p>Markdown files give deterministic findings; Java files go to the LLM analyzers, answered by a fake provider
 * with a latency, so the job is still analysing when the service is killed and the gateway is on the job's path.
 * The analyzer's and the gateway's caches are off for this module (pom.xml), or the disturbed runs would take the
 * LLM results of the undisturbed one from them and never wait for the provider.
 */
class KilledServiceEndToEndTest extends GiteaStackTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final String API_KEY = "sk-killed-service-e2e";
    // the provider's answer to both LLM analyzers: no findings (llm-review) and no proposed documentation (doc-comments)
    private static final String NOTHING_TO_ADD = "{\"findings\":[],\"docs\":[]}";
    private static final int MARKDOWN_FILES = 100;
    private static final int JAVA_FILES = 30;
    // long enough that the LLM units are still in hand when the markdown units are done
    private static final Duration LLM_LATENCY = Duration.ofSeconds(3);
    private static final Pattern UNITS_DONE = Pattern.compile("(\\d+) of (\\d+) units done");
    private static final Map<String, Duration> EXTRA_TIME = new ConcurrentHashMap<>();
    private static final String GITEA_REPOSITORY = "acme/killed";
    // one pull request per run: the undisturbed two, four kills, a SIGTERM, two restarts, two signals while planning
    // (three tries each at most)
    private static final int PULL_REQUESTS = 15;
    private static final AtomicInteger NEXT_PULL_REQUEST = new AtomicInteger(1);

    private static FakeLlmServer llm;
    private static Drep drep;
    private static Path repository;
    private static Review undisturbed;
    private static GiteaFake gitea;
    private static String base;
    private static final Map<Integer, String> PULL_REQUEST_HEADS = new ConcurrentHashMap<>();
    private static List<GiteaFake.Write> undisturbedPullRequest;
    private static Duration undisturbedPullRequestTime;
    private static Duration undisturbedTime;
    private static Duration firstTime;

    @BeforeAll
    static void startStackAndReviewUndisturbed() throws Exception {
        llm = FakeLlmServer.start().expectApiKey(API_KEY).answer(NOTHING_TO_ADD).latency(LLM_LATENCY);
        repository = work.resolve("change");
        createChange(repository);
        // the same change again, as the repository Gitea hosts: its pull requests' refs move its main branch
        Path origin = work.resolve("origin");
        base = createChange(origin);
        openPullRequests(origin);
        stack = GiteaStack.of(GITEA_REPOSITORY).withLlm(llm).withVariable("DREP_LLM_API_KEY", API_KEY).up(work);
        gitea = stack.gitea();
        drep = stack.drep();
        stack.register(origin);

        // twice: the first review of a fresh stack warms its JVMs up, the second is the time to compare with
        Review first = undisturbedReview("undisturbed-first");
        List<GiteaFake.Write> firstPullRequest = undisturbedPullRequest;
        int calls = llm.chatRequests().size();
        undisturbed = undisturbedReview("undisturbed");
        assertThat(undisturbedPullRequest).as("what Gitea received for two undisturbed pull requests of the same change")
                .containsExactlyElementsOf(firstPullRequest);
        assertThat(undisturbedPullRequest).as("Gitea received statuses, an inline review and a summary comment")
                .extracting(GiteaFake.Write::path)
                .anyMatch(path -> path.endsWith("/statuses/<head>"))
                .anyMatch(path -> path.endsWith("/pulls/#/reviews"))
                .anyMatch(path -> path.endsWith("/issues/#/comments"));
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

    /** Reviews the change locally and as a pull request at once, as the disturbed runs do; keeps what Gitea got. */
    private static Review undisturbedReview(String name) throws Exception {
        long started = System.nanoTime();
        PullRequestJob pullRequest = PullRequestJob.open();
        Drep.Run run = drep.run(work, "review", repository.toString(), "--out", work.resolve(name).toString());
        firstTime = undisturbedTime;
        undisturbedTime = Duration.ofNanos(System.nanoTime() - started);
        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isZero();
        undisturbedPullRequest = pullRequest.awaitPublished();
        undisturbedPullRequestTime = pullRequest.took();
        return review(work.resolve(name));
    }

    /** A pull request opened on the fake Gitea and delivered to the scanner: its job, and what Gitea got for it. */
    private record PullRequestJob(int number, String head, String jobId, Instant opened) {
        static PullRequestJob open() throws Exception {
            int number = NEXT_PULL_REQUEST.getAndIncrement();
            assertThat(number).as("pull requests prepared in the origin").isLessThanOrEqualTo(PULL_REQUESTS);
            String head = PULL_REQUEST_HEADS.get(number);
            Instant opened = Instant.now();
            HttpResponse<String> delivered = stack.deliverPullRequestOpened(number, base, head);
            assertThat(delivered.statusCode()).as("the webhook of pull request %d: %s", number, delivered.body())
                    .isEqualTo(202);
            return new PullRequestJob(number, head, JSON.readTree(delivered.body()).path("jobId").asText(), opened);
        }

        /** From the webhook's delivery to the verdict's arrival on Gitea. */
        Duration took() throws IOException {
            return Duration.between(opened, gitea.verdictAt(head));
        }

        /** Whether Gitea has received the job's verdict: a status other than pending on its head. */
        boolean published() throws IOException {
            return gitea.statesOn(head).stream().anyMatch(state -> !state.equals("pending"));
        }

        /** Until the verdict is on Gitea; then everything Gitea was asked to write for this pull request. */
        List<GiteaFake.Write> awaitPublished() throws IOException {
            try {
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250)).until(this::published);
            } catch (ConditionTimeoutException e) {
                // what CI prints is all there is to go on: the job as the scanner sees it
                throw new AssertionError("pull request " + number + " has no verdict on Gitea after 5 minutes; its job "
                        + jobId + " in the scanner: " + describeJob(), e);
            }
            return gitea.writesOf(number, head);
        }

        private String describeJob() {
            try {
                JsonNode job = call("GET", "/api/jobs/" + jobId, null, 200);
                return job.path("status").asText() + " (" + job.path("unitsDone").asInt() + " of "
                        + job.path("unitsTotal").asInt() + " units done): " + job.path("message").asText();
            } catch (Exception | AssertionError e) {
                return "not known (" + e.getMessage() + ")";
            }
        }

        /** @return whether units of the job are done and others not yet, by the scanner's account of it */
        boolean midAnalysis() {
            try {
                JsonNode job = call("GET", "/api/jobs/" + jobId, null, 200);
                int done = job.path("unitsDone").asInt();
                return job.path("status").asText().equals("ANALYZING") && done > 0 && done < job.path("unitsTotal").asInt();
            } catch (Exception | AssertionError e) {
                return false; // the scanner is away: not the moment
            }
        }
    }

    @AfterAll
    static void printRecoveryTimes() { // the stack is stopped after this (GiteaStackTest)
        if (stack == null && llm != null) {
            llm.close(); // the stack did not start: nothing else closes the provider
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

    /**
     * Issue 14's "restart during planning": the scanner gets a SIGKILL — or a SIGTERM, which lets it finish the plan
     * in hand within its grace ({@code QueueIntake.stop}) — while it is planning the pull request's job, between its
     * log lines "planning job …" and "job … planned". To be sure the signal lands inside that window (a plan of 130
     * files takes a fraction of a second), the scanner is first paused (SIGSTOP) as soon as it logs the start, and
     * the signal sent only if the end is not logged by then; a try that missed the window is still a review that
     * must come out the same, and the test tries again with a new pull request, three times at most. Only the pull
     * request is reviewed: a {@code drep review} started meanwhile would find the paused scanner unhealthy and review
     * with a temporary stack of its own. The scanner's third restart in this stack (the supervisor gives up after
     * three): no other test may kill it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"KILL", "TERM"})
    void theScannerSignalledWhilePlanningChangesNothingInTheReview(String signal) throws Exception {
        for (int attempt = 1; ; attempt++) {
            awaitEveryServiceReady();
            DisturbedReview review = DisturbedReview.startPullRequestOnly(
                    "planning-sig" + signal.toLowerCase(Locale.ROOT) + "-" + attempt);
            StackState.Service before = service(ServiceKind.SCANNER);
            String jobId = review.pullRequest().jobId();
            Path log = work.resolve("data").resolve("logs").resolve(ServiceKind.SCANNER.module() + ".log");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                    .until(() -> Files.readString(log).contains("planning job " + jobId));
            signal("STOP", before.pid());
            boolean planning = !Files.readString(log).contains("job " + jobId + " planned");
            int callsAtTheSignal = llm.chatRequests().size();
            long signalledAt = System.nanoTime();
            if (planning) {
                signal(signal, before.pid());
            }
            if (!planning || !signal.equals("KILL")) {
                // a SIGKILL ends a stopped process too, which may be gone already: nothing to continue
                signal("CONT", before.pid());
            }
            if (planning) {
                Duration back = awaitRestartedAndReady(ServiceKind.SCANNER, before, signalledAt);
                review.finish("SIG" + signal + " to scanner-service while planning", signalledAt, back, callsAtTheSignal);
                return;
            }
            review.finish("a pause of scanner-service just after planning (try " + attempt + ")", signalledAt,
                    Duration.ZERO, callsAtTheSignal);
            assertThat(attempt).as("tries that found the scanner still planning the job once it had paused it")
                    .isLessThan(3);
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
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

    /**
     * One review on another thread, and one pull request's, disturbed while they run, then compared with the
     * undisturbed ones.
     */
    private record DisturbedReview(String name, Path out, StringWriter progress, long started, AtomicLong finished,
            CompletableFuture<Drep.Run> run, PullRequestJob pullRequest) {

        static DisturbedReview start(String name) throws Exception {
            return start(name, true);
        }

        /**
         * The pull request's review alone: {@code drep review} finds the stack unhealthy while the scanner is paused
         * and then reviews with a temporary stack of its own (ReviewStack), which is not the review under test.
         */
        static DisturbedReview startPullRequestOnly(String name) throws Exception {
            return start(name, false);
        }

        private static DisturbedReview start(String name, boolean local) throws Exception {
            Path out = work.resolve(name);
            StringWriter progress = new StringWriter();
            AtomicLong finished = new AtomicLong();
            long started = System.nanoTime();
            PullRequestJob pullRequest = PullRequestJob.open();
            if (!local) {
                return new DisturbedReview(name, out, progress, started, finished, null, pullRequest);
            }
            CompletableFuture<Drep.Run> run = CompletableFuture.supplyAsync(() -> {
                Drep.Run result = drep.run(work, progress, "review", repository.toString(), "--out", out.toString());
                finished.set(System.nanoTime());
                return result;
            });
            return new DisturbedReview(name, out, progress, started, finished, run, pullRequest);
        }

        /**
         * Until the jobs are analysing: the gateway waits for the provider, and some units are done (or the provider
         * has been answering for a second: a scanner just restarted, cold on a loaded machine, may answer the
         * review's polls late). The pull request's job was queued first, so it is the further one.
         */
        void awaitMidAnalysis(String what) throws IOException {
            AtomicLong providerBusySince = new AtomicLong();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> run.isDone() || pullRequest.published()
                            || midAnalysis(progress.toString(), pullRequest, providerBusySince));
            assertThat(run).as("the review was still running when %s was to be disturbed%n%s", what, progress)
                    .isNotDone();
            assertThat(pullRequest.published()).as("pull request %d's job was still running when %s was to be disturbed",
                    pullRequest.number(), what).isFalse();
        }

        /** Waits for the review's end and holds it to the undisturbed one; prints and keeps the extra time. */
        void finish(String disturbance, long disturbedAt, Duration back, int callsAtTheDisturbance) throws Exception {
            if (run == null) {
                finishPullRequest(disturbance, disturbedAt, back, callsAtTheDisturbance);
                return;
            }
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
            assertSamePullRequestReview(disturbance);
        }

        private void finishPullRequest(String disturbance, long disturbedAt, Duration back, int callsAtTheDisturbance)
                throws Exception {
            pullRequest.awaitPublished();
            keepLogs(name);
            EXTRA_TIME.put(disturbance + " (pull request)", pullRequest.took().minus(undisturbedPullRequestTime));
            System.out.printf(Locale.ROOT, "%s %.1f s after the webhook, back %.1f s later, %d provider calls after it%n",
                    disturbance, (disturbedAt - started) / 1e9, back.toMillis() / 1000.0,
                    llm.chatRequests().size() - callsAtTheDisturbance);
            assertSamePullRequestReview(disturbance);
        }

        private void assertSamePullRequestReview(String disturbance) throws IOException {
            List<GiteaFake.Write> posted = pullRequest.awaitPublished();
            System.out.printf(Locale.ROOT, "%s: pull request %d's verdict on Gitea %.1f s after its webhook "
                    + "(undisturbed %.1f s)%n", disturbance, pullRequest.number(), pullRequest.took().toMillis() / 1000.0,
                    undisturbedPullRequestTime.toMillis() / 1000.0);
            assertThat(posted).as("what Gitea received for pull request %d, reviewed over %s, is what it received "
                    + "undisturbed: the same statuses, review and summary, nothing twice", pullRequest.number(), disturbance)
                    .containsExactlyElementsOf(undisturbedPullRequest);
        }
    }

    // 100 markdown files with a trailing space and a long line each, and 30 Java files with a new method; the base commit
    private static String createChange(Path dir) {
        try (TestRepository repo = TestRepository.init(dir)) {
            for (int i = 0; i < MARKDOWN_FILES; i++) {
                repo.write(markdown(i), "# Page " + i + "\n\nSome text.\n");
            }
            for (int i = 0; i < JAVA_FILES; i++) {
                repo.write(java(i), "package sample;\n\npublic class Sample" + i + " {\n}\n");
            }
            String base = repo.commit("base");
            for (int i = 0; i < MARKDOWN_FILES; i++) {
                repo.write(markdown(i), "# Page " + i + "\n\nSome text.\nA new line with trailing space \n"
                        + SampleRepository.LONG_LINE + "\n");
            }
            for (int i = 0; i < JAVA_FILES; i++) {
                repo.write(java(i), "package sample;\n\npublic class Sample" + i + " {\n"
                        + "    public int twice(int value) {\n        return value * " + (i + 2) + ";\n    }\n}\n");
            }
            repo.commit("head: 130 changed files");
            return base;
        }
    }

    // pull requests 1..PULL_REQUESTS from main at the base, each at a commit of its own on top of the head (no change)
    private static void openPullRequests(Path origin) throws Exception {
        PersonIdent author = new PersonIdent("Octo Cat", "octocat@example.com");
        for (int number = 1; number <= PULL_REQUESTS; number++) {
            try (Git git = Git.open(origin.toFile())) {
                String head = git.commit().setAllowEmpty(true).setMessage("pull request " + number).setAuthor(author)
                        .setCommitter(author).call().getName();
                PULL_REQUEST_HEADS.put(number, head);
            }
        }
        // after the commits: a pull request's refs move main back to the base
        for (int number = 1; number <= PULL_REQUESTS; number++) {
            GiteaFake.openPullRequest(origin, number, base, PULL_REQUEST_HEADS.get(number));
        }
    }

    private static String markdown(int i) {
        return String.format(Locale.ROOT, "docs/page-%03d.md", i);
    }

    private static String java(int i) {
        return "src/sample/Sample" + i + ".java";
    }

    private static boolean midAnalysis(String progress, PullRequestJob pullRequest, AtomicLong providerBusySince) {
        if (llm.inFlight() == 0) {
            return false;
        }
        providerBusySince.compareAndSet(0, System.nanoTime());
        return analysingWithSomeUnitsDone(progress) || pullRequest.midAnalysis()
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

    private static JsonNode call(String method, String path, Object body, int expected) throws Exception {
        return stack.call(method, path, body, expected);
    }

    private static StackState.Service service(ServiceKind kind) {
        return stack.service(kind);
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

    // readiness needs no token
    private static boolean ready(URI readiness) {
        try {
            HttpResponse<Void> response = GiteaStack.http().send(
                    HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
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
