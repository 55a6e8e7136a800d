package dev.drep.launcher.eval;

import dev.drep.contracts.JobStatus;
import dev.drep.contracts.JobView;
import dev.drep.contracts.Review;
import dev.drep.contracts.ReviewRequest;
import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.Json;
import dev.drep.launcher.LauncherEnvironment;
import dev.drep.launcher.LauncherException;
import dev.drep.launcher.review.JobWatcher;
import dev.drep.launcher.review.OutputFormat;
import dev.drep.launcher.review.ProgressListener;
import dev.drep.launcher.review.ReviewFile;
import dev.drep.launcher.review.ReviewStack;
import dev.drep.launcher.review.ScannerClient;
import dev.drep.launcher.stack.DataOption;
import dev.drep.launcher.stack.DrepHome;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code drep eval}: reviews every case of a labelled corpus through the services (the running stack of
 * {@code drep up}, else a temporary one, with whatever OpenAI-compatible endpoint {@code DREP_LLM_*} names) and reports
 * precision, recall, F1, findings per clean pull request, and tokens and cost per pull request, as a table and as
 * {@code eval.json}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Measure how precise drep's reviews are on a labelled corpus of pull requests.",
                "Each case (a folder with case.yaml, base/ and head/) becomes a git repository whose change is reviewed; "
                        + "the findings are compared with the case's labels. Writes eval.json and the reviews to --out."})
public final class EvalCommand implements Callable<Integer> {
    /** Output folder under the working directory when --out is not given. */
    public static final String DEFAULT_OUTPUT = "drep-eval";
    /** The report's file name in the output folder. */
    public static final String REPORT_FILE = "eval.json";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private final LauncherEnvironment env;

    @Spec
    CommandSpec spec;

    @Option(names = "--corpus", paramLabel = "DIR",
            description = "The corpus: a folder of cases. Default: eval/corpus of the drep installation.")
    Path corpus;

    @Option(names = "--case", paramLabel = "ID", description = "Only this case (repeat for several). Default: all.")
    List<String> only = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the report, the cases' repositories and "
            + "reviews (emptied first). Default: ./" + DEFAULT_OUTPUT)
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", converter = OutputFormat.Converter.class,
            description = "text (a table) or json (the report). Default: text.")
    OutputFormat format;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "1800",
            description = "How long all the reviews may take together. Default: 1800.")
    long timeoutSeconds;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long a temporary stack may take to start. Default: 120.")
    long startTimeoutSeconds;

    @Mixin
    DataOption dataOption;

    public EvalCommand(LauncherEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws LauncherException, InterruptedException {
        if (timeoutSeconds <= 0 || startTimeoutSeconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--timeout and --start-timeout take a number of seconds "
                    + "greater than 0");
        }
        Path corpusFolder = corpus == null ? DrepHome.resolve(env).root().resolve("eval").resolve("corpus")
                : env.resolve(corpus.toString());
        List<EvalCase> cases = select(EvalCorpus.load(corpusFolder));
        Path outputDir = env.resolve((out == null ? Path.of(DEFAULT_OUTPUT) : out).toString());
        prepare(outputDir);
        Map<EvalCase, CaseRepository> repositories = new LinkedHashMap<>();
        for (EvalCase evalCase : cases) {
            repositories.put(evalCase, CaseRepository.create(evalCase, outputDir.resolve("repos").resolve(evalCase.id())));
        }
        note("Reviewing " + cases.size() + " cases of " + corpusFolder);
        List<CaseScore> scores;
        try (ReviewStack stack = ReviewStack.open(env, dataOption.resolve(env), List.of(outputDir.toString()),
                Duration.ofSeconds(startTimeoutSeconds), this::note)) {
            try {
                scores = reviewAll(stack.client(), repositories, outputDir);
            } catch (LauncherException e) {
                throw stack.explain(e);
            }
        }
        EvalReport report = EvalReport.of(scores);
        Path reportFile = outputDir.resolve(REPORT_FILE);
        try {
            String json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report);
            Files.writeString(reportFile, json + "\n");
            if (format == OutputFormat.JSON) {
                env.out().println(json);
                env.out().flush();
            } else {
                report.print(env.out());
                env.out().println("The report is in " + reportFile);
                env.out().flush();
            }
        } catch (IOException e) {
            throw new LauncherException("Cannot write the report " + reportFile + ": " + e.getMessage(), e);
        }
        return ExitCodes.OK;
    }

    private List<EvalCase> select(List<EvalCase> all) throws LauncherException {
        if (only.isEmpty()) {
            return all;
        }
        List<EvalCase> chosen = all.stream().filter(c -> only.contains(c.id())).toList();
        List<String> unknown = only.stream().filter(id -> all.stream().noneMatch(c -> c.id().equals(id))).toList();
        if (!unknown.isEmpty()) {
            throw new LauncherException("No such case in the corpus: " + String.join(", ", unknown) + ". The cases are: "
                    + String.join(", ", all.stream().map(EvalCase::id).toList()));
        }
        return chosen;
    }

    // the output folder holds what one run made: the repositories and reviews of an earlier run would mislead
    private static void prepare(Path outputDir) throws LauncherException {
        try {
            for (String part : List.of("repos", "reviews", REPORT_FILE)) {
                Path path = outputDir.resolve(part);
                if (Files.exists(path)) {
                    try (Stream<Path> walk = Files.walk(path)) {
                        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(p);
                        }
                    }
                }
            }
            Files.createDirectories(outputDir.resolve("repos"));
            Files.createDirectories(outputDir.resolve("reviews"));
        } catch (IOException e) {
            throw new LauncherException("Cannot prepare the output folder " + outputDir + " (" + e.getMessage()
                    + "). Choose another with --out DIR.", e);
        }
    }

    // all jobs are submitted first, so that the services review the cases side by side
    private List<CaseScore> reviewAll(ScannerClient client, Map<EvalCase, CaseRepository> repositories, Path outputDir)
            throws LauncherException, InterruptedException {
        Map<EvalCase, JobView> jobs = new LinkedHashMap<>();
        for (Map.Entry<EvalCase, CaseRepository> entry : repositories.entrySet()) {
            CaseRepository repository = entry.getValue();
            Path reviews = outputDir.resolve("reviews").resolve(entry.getKey().id());
            ReviewRequest request = new ReviewRequest(repository.folder().toString(), repository.base(), repository.head(),
                    reviews.toString());
            jobs.put(entry.getKey(), client.submit(request));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        JobWatcher watcher = new JobWatcher(client, POLL_INTERVAL, Duration.ofSeconds(120));
        List<CaseScore> scores = new ArrayList<>();
        for (Map.Entry<EvalCase, JobView> entry : jobs.entrySet()) {
            EvalCase evalCase = entry.getKey();
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1));
            JobView job = watcher.await(entry.getValue().id(), left, quiet());
            if (job.status() == JobStatus.FAILED) {
                throw new LauncherException("The review of case " + evalCase.id() + " failed: "
                        + (job.message() == null ? "no reason given" : job.message()));
            }
            Path reviews = outputDir.resolve("reviews").resolve(evalCase.id());
            Review review = ReviewFile.find(job, reviews).map(ReviewFile::review).orElseThrow(() -> new LauncherException(
                    "The review of case " + evalCase.id() + " finished but wrote no " + ReviewFile.NAME + " to " + reviews));
            CaseScore score = CaseScore.score(evalCase, review);
            note(String.format("%-34s %d findings, %d of %d problems found", evalCase.id(), score.findings(),
                    score.found(), score.problems()));
            scores.add(score);
        }
        return scores;
    }

    // one line per case is shown instead of each job's progress; a scanner that stops answering is still said
    private ProgressListener quiet() {
        return new ProgressListener() {
            private boolean waitingSaid;

            @Override
            public void update(JobView job) {
            }

            @Override
            public void finish(JobView job) {
            }

            @Override
            public void waiting(URI scanner, Duration waited) {
                if (!waitingSaid) {
                    waitingSaid = true;
                    note(ProgressListener.waitingLine(scanner, waited));
                }
            }

            @Override
            public void reconnected(URI scanner, Duration waited) {
                waitingSaid = false;
                note("the scanner at " + scanner + " answers again");
            }

            @Override
            public void abandon() {
            }
        };
    }

    private void note(String message) {
        env.err().println("drep: " + message);
        env.err().flush();
    }
}
