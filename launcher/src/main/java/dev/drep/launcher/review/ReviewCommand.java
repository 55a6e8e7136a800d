package dev.drep.launcher.review;

import dev.drep.contracts.JobStatus;
import dev.drep.contracts.JobView;
import dev.drep.contracts.Review;
import dev.drep.contracts.ReviewRequest;
import dev.drep.contracts.Severity;
import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.Json;
import dev.drep.launcher.LauncherEnvironment;
import dev.drep.launcher.LauncherException;
import dev.drep.launcher.stack.DataFolder;
import dev.drep.launcher.stack.DataOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drep review PATH}: reviews the changes of a local git repository and writes the review files.
 * Uses the stack of {@code drep up} when one is running and healthy, else starts a temporary one and
 * stops it afterwards.
 */
@Command(name = "review", mixinStandardHelpOptions = true,
        description = {"Review the changes between two revisions of a local git repository.",
                "Writes review.md, review.json and review.sarif, prints the findings, and exits with 0 when nothing "
                        + "is at or above --fail-on, 1 when something is, 2 when the review could not be done."})
public final class ReviewCommand implements Callable<Integer> {
    /** Output folder under the working directory when --out is not given. */
    public static final String DEFAULT_OUTPUT = "drep-review";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private final LauncherEnvironment env;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "The git repository (a folder) to review.")
    String path;

    @Option(names = "--base", paramLabel = "REV",
            description = "Base revision. Default: the merge-base of head with the default branch, else head's parent.")
    String base;

    @Option(names = "--head", paramLabel = "REV", description = "Head revision. Default: HEAD.")
    String head;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the review files. Default: ./" + DEFAULT_OUTPUT)
    String out;

    @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "error", converter = SeverityConverter.class,
            description = "Exit with 1 when a finding is at or above LEVEL: error, warning or info. Default: ${DEFAULT-VALUE}.")
    Severity failOn;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", converter = OutputFormat.Converter.class,
            description = "text (summary and findings) or json (review.json). Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "1800",
            description = "How long the review may take once submitted. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--patience", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for the scanner when it stops answering during the review (a restart), "
                    + "before giving up. Default: ${DEFAULT-VALUE}.")
    int patienceSeconds;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long each service of a temporary stack may take to start. Default: ${DEFAULT-VALUE}.")
    int startTimeoutSeconds;

    @Option(names = "--profile",
            description = "Also print where the review's time went: each stage's share of the wall time, and its LLM "
                    + "calls, tokens and cost (to standard error with --format json).")
    boolean profile;

    @Mixin
    DataOption dataOption;

    public ReviewCommand(LauncherEnvironment env) {
        this.env = env;
    }

    /** @return the repository, absolute */
    public Path repository() {
        return env.resolve(path);
    }

    /** @return the output folder, absolute */
    public Path outputDir() {
        return env.resolve(out == null ? DEFAULT_OUTPUT : out);
    }

    /** @return the --fail-on threshold */
    public Severity failOn() {
        return failOn;
    }

    /** @return the --format */
    public OutputFormat format() {
        return format;
    }

    @Override
    public Integer call() throws LauncherException, InterruptedException {
        if (timeoutSeconds <= 0 || startTimeoutSeconds <= 0 || patienceSeconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--timeout, --start-timeout and --patience take a number of seconds "
                    + "greater than 0");
        }
        Path repository = path("PATH", this::repository);
        if (!Files.isDirectory(repository)) {
            throw new LauncherException(repository + (Files.exists(repository) ? " is not a folder" : " does not exist")
                    + ". Give the folder of a local git repository, e.g. 'drep review .'.");
        }
        Path outputDir = path("--out", this::outputDir);
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw new LauncherException("Cannot create the output folder " + outputDir + " (" + e.getMessage()
                    + "). Choose another with --out DIR.", e);
        }
        ReviewRequest request = new ReviewRequest(repository.toString(), base, head, outputDir.toString());
        DataFolder data = dataOption.resolve(env);
        try (ReviewStack stack = ReviewStack.open(env, data, List.of(request.repository(), request.outputDir()),
                Duration.ofSeconds(startTimeoutSeconds), this::note)) {
            try {
                return review(stack.client(), request, stack.logs());
            } catch (LauncherException e) {
                throw stack.explain(e);
            }
        }
    }

    private int review(ScannerClient client, ReviewRequest request, Path logs) throws LauncherException, InterruptedException {
        JobView accepted = client.submit(request);
        note("Review job " + accepted.id() + " accepted; the review goes to " + request.outputDir());
        ProgressListener progress = ProgressListener.create(env.interactive() && format != OutputFormat.JSON, env.err());
        JobView job = new JobWatcher(client, POLL_INTERVAL, Duration.ofSeconds(patienceSeconds))
                .await(accepted.id(), Duration.ofSeconds(timeoutSeconds), progress);
        if (job.status() == JobStatus.FAILED) {
            throw new LauncherException("The review failed: " + (job.message() == null ? "no reason given" : job.message())
                    + ". The services' logs in " + logs + " tell more.");
        }
        Path outputDir = Path.of(request.outputDir());
        Optional<ReviewFile> file = ReviewFile.find(job, outputDir);
        if (file.isEmpty()) {
            if (job.unitsTotal() == 0) {
                return nothingToReview(job);
            }
            throw new LauncherException("The review finished but no " + ReviewFile.NAME + " of job " + job.id()
                    + " is in " + outputDir + ". The review-publisher's log in " + logs + " tells why.");
        }
        if (format == OutputFormat.JSON) {
            env.out().println(file.get().content().strip());
            env.out().flush();
        } else {
            List<Path> files = ReviewFile.outputPaths(job, outputDir);
            ReviewReport.print(env.out(), file.get().review(), files.isEmpty() ? List.of(file.get().path()) : files, failOn);
        }
        printProfile(job);
        return Verdict.exitCode(file.get().review(), failOn);
    }

    // base equals head (or nothing reviewable changed): a success with nothing to show
    private int nothingToReview(JobView job) throws LauncherException {
        String message = job.message() == null || job.message().isBlank() ? "nothing to review" : job.message();
        if (format == OutputFormat.JSON) {
            Review empty = new Review(job.id(), job.repository(), job.base(), job.head(), message, job.findings(),
                    List.of(), List.of(), List.of());
            try {
                env.out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(empty));
            } catch (IOException e) {
                throw new LauncherException("Could not print the review as JSON: " + e.getMessage(), e);
            }
        } else {
            env.out().println("drep review of " + job.repository() + ": " + message + ".");
        }
        env.out().flush();
        printProfile(job);
        return ExitCodes.OK;
    }

    /** {@code --profile}: after the review, on standard output (standard error with {@code --format json}). */
    private void printProfile(JobView job) {
        if (profile) {
            ProfileTable.print(format == OutputFormat.JSON ? env.err() : env.out(), job.id(), job.profile());
        }
    }

    private static Path path(String what, Supplier<Path> path) throws LauncherException {
        try {
            return path.get();
        } catch (InvalidPathException e) {
            throw new LauncherException(what + " '" + e.getInput() + "' is not a valid path: " + e.getReason() + ".");
        }
    }

    private void note(String message) {
        env.err().println("drep: " + message);
        env.err().flush();
    }
}
