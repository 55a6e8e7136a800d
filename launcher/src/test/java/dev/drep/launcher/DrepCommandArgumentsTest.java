package dev.drep.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.Severity;
import dev.drep.launcher.review.OutputFormat;
import dev.drep.launcher.review.ReviewCommand;
import dev.drep.launcher.testing.Terminal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DrepCommandArgumentsTest {
    @TempDir
    Path dir;
    Path repo;
    Terminal terminal;

    @BeforeEach
    void setUp() throws Exception {
        repo = Files.createDirectories(dir.resolve("work/repo"));
        terminal = new Terminal(dir.resolve("work"), dir.resolve("data"), dir.resolve("no-home"));
    }

    @Test
    void unknownFailOnValueNamesTheValidOnesAndExitsWith2() {
        int code = terminal.run("review", "repo", "--fail-on", "fatal");

        assertThat(code).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err())
                .contains("Invalid value for option '--fail-on': unknown severity 'fatal': expected one of info, warning, error")
                .contains("Run 'drep review --help'");
        assertThat(terminal.out()).isEmpty();
    }

    @Test
    void unknownFormatIsRejected() {
        assertThat(terminal.run("review", "repo", "--format", "xml")).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err()).contains("unknown format 'xml': expected text or json");
    }

    @Test
    void missingPathIsRejected() {
        assertThat(terminal.run("review")).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err()).contains("Missing required parameter: 'PATH'");
    }

    @Test
    void nonPositiveTimeoutIsRejected() {
        assertThat(terminal.run("review", "repo", "--timeout", "0")).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err()).contains("greater than 0");
    }

    @Test
    void aPathThatDoesNotExistFailsBeforeAnythingStarts() {
        long started = System.nanoTime();

        int code = terminal.run("review", "missing");

        assertThat(code).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err()).contains(dir.resolve("work/missing") + " does not exist")
                .contains("drep review .");
        assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
    }

    @Test
    void withoutServiceJarsTheReviewSaysHowToBuildThem() {
        int code = terminal.run("review", "repo", "--out", "out");

        assertThat(code).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err()).contains("The drep services are not built")
                .contains("./mvnw -B -DskipTests install")
                .contains("missing: " + dir.resolve("no-home/scanner-service/target/quarkus-app/quarkus-run.jar"));
    }

    @Test
    void reviewDefaultsAreAbsoluteAndErrorThreshold() {
        CommandLine commandLine = DrepCommand.commandLine(terminal.environment());
        commandLine.parseArgs("review", "repo");
        ReviewCommand review = (ReviewCommand) commandLine.getSubcommands().get("review").getCommand();

        assertThat(review.repository()).isEqualTo(repo);
        assertThat(review.outputDir()).isEqualTo(dir.resolve("work/drep-review"));
        assertThat(review.failOn()).isEqualTo(Severity.ERROR);
        assertThat(review.format()).isEqualTo(OutputFormat.TEXT);
    }

    @Test
    void reviewOptionsAreReadInAnyCase() {
        CommandLine commandLine = DrepCommand.commandLine(terminal.environment());
        commandLine.parseArgs("review", "./repo/../repo", "--fail-on", "WARNING", "--format", "Json", "--out", "../reviews");
        ReviewCommand review = (ReviewCommand) commandLine.getSubcommands().get("review").getCommand();

        assertThat(review.repository()).isEqualTo(repo);
        assertThat(review.outputDir()).isEqualTo(dir.resolve("reviews"));
        assertThat(review.failOn()).isEqualTo(Severity.WARNING);
        assertThat(review.format()).isEqualTo(OutputFormat.JSON);
    }

    @Test
    void withoutACommandTheUsageIsShownAndNothingIsDone() {
        assertThat(terminal.run()).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err()).contains("Usage: drep").contains("review").contains("up").contains("down")
                .contains("status").doesNotContain("stack-daemon");
    }

    @Test
    void helpIsASuccess() {
        assertThat(terminal.run("review", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(terminal.out()).contains("--fail-on=LEVEL").contains("--format=FORMAT").contains("--base=REV");
    }

    @Test
    void statusWithoutAStackSaysSoAndExitsWith1() {
        assertThat(terminal.run("status")).isEqualTo(ExitCodes.FINDINGS);
        assertThat(terminal.out()).contains("No drep stack is running (data folder " + dir.resolve("data") + ")")
                .contains("drep up");
    }

    @Test
    void downWithoutAStackIsASuccess() {
        assertThat(terminal.run("down", "--data", "elsewhere")).isEqualTo(ExitCodes.OK);
        assertThat(terminal.out()).contains("No drep stack is running (data folder " + dir.resolve("work/elsewhere") + ")");
    }

    @Test
    void anInvalidPathIsReportedAsSuch() {
        int code = terminal.run("review", "repo", "--out", "x\0y");

        assertThat(code).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err()).startsWith("drep: ").contains("is not a valid path").doesNotContain("unexpected");
    }
}
