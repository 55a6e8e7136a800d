package dev.drep.launcher.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.Json;
import dev.drep.launcher.stack.ServiceKind;
import dev.drep.launcher.testing.FakeServices;
import dev.drep.launcher.testing.Terminal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drep review} with a temporary stack: real embedded PostgreSQL and Artemis in this JVM, and
 * four real processes running {@code FakeService} jars in place of the services.
 */
class ReviewWithTemporaryStackTest {
    @TempDir
    Path dir;
    Path home;
    Path reports;
    Path repo;
    Terminal terminal;

    @BeforeEach
    void setUp() throws Exception {
        home = dir.resolve("home");
        reports = dir.resolve("reports");
        repo = Files.createDirectories(dir.resolve("work/repo"));
        terminal = new Terminal(dir.resolve("work"), dir.resolve("data"), home);
    }

    // a failed review keeps its temporary folder for the user to read the logs; a test has read them
    @AfterEach
    void removeKeptLogs() throws Exception {
        String prefix = "The services' logs are kept in ";
        for (String line : terminal.err().lines().filter(l -> l.startsWith(prefix)).toList()) {
            Path work = Path.of(line.substring(prefix.length())).getParent();
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void scenario(String name) throws Exception {
        Files.writeString(repo.resolve("fake-scenario"), name);
    }

    @Test
    void aReviewWithAnErrorPrintsTheFindingsAndExitsWith1() throws Exception {
        FakeServices.install(home, reports, FakeServices.working());
        scenario("error");
        terminal.with("DREP_LLM_API_KEY", "sk-very-secret-key").with("DREP_LLM_MODEL", "tiny");

        int code = terminal.run("review", "repo");

        assertThat(code).as(terminal.err()).isEqualTo(ExitCodes.FINDINGS);
        Path out = dir.resolve("work/drep-review");
        assertThat(terminal.out())
                .contains("drep review of " + repo + " 111111111111..222222222222: 1 error, 1 warning, 0 info")
                .contains("Fake review: 1 error, 1 warning.")
                .contains("README.md:3: warning [md.trailing-whitespace] trailing whitespace")
                .contains("src/Main.java:12: error [llm.bug] possible null dereference")
                .contains("Review files: " + out.resolve("review.md"))
                .contains("1 finding at or above error (--fail-on error).");
        assertThat(terminal.err())
                .contains("drep: Starting a temporary drep stack")
                .contains("drep: scanner-service is ready")
                .contains("drep: job job-1 analyzing, 0 of 2 units done")
                .contains("drep: job job-1 done, 2 of 2 units done")
                .doesNotContain("\r")
                .doesNotContain("sk-very-secret-key");
        assertThat(out.resolve("review.json")).exists();

        Properties scanner = FakeServices.report(reports, ServiceKind.SCANNER);
        Properties publisher = FakeServices.report(reports, ServiceKind.REVIEW_PUBLISHER);
        Properties analyzer = FakeServices.report(reports, ServiceKind.ANALYZER);
        Properties gateway = FakeServices.report(reports, ServiceKind.LLM_GATEWAY);
        assertThat(scanner.getProperty("quarkus.rest-client.review-publisher.url"))
                .isEqualTo("http://127.0.0.1:" + publisher.getProperty("quarkus.http.port"));
        assertThat(analyzer.getProperty("quarkus.rest-client.llm-gateway.url"))
                .isEqualTo("http://127.0.0.1:" + gateway.getProperty("quarkus.http.port"));
        for (Properties service : new Properties[] {scanner, analyzer, publisher}) {
            assertThat(service.getProperty("quarkus.datasource.jdbc.url")).startsWith("jdbc:postgresql://127.0.0.1:").endsWith("/drep");
            assertThat(service.getProperty("quarkus.datasource.reactive.url")).startsWith("postgresql://127.0.0.1:");
            assertThat(service.getProperty("amqp-port")).isEqualTo(scanner.getProperty("amqp-port"));
            assertThat(service.stringPropertyNames()).noneMatch(name -> name.startsWith("env.DREP_LLM_")
                    || name.equals("env.DREP_GATEWAY_PROVIDER_API_KEY"));
            assertThat(service.getProperty("jvm.arguments")).contains("-XX:TieredStopAtLevel=1", "-Xmx256m");
        }
        assertThat(gateway.getProperty("drep.gateway.default-model")).isEqualTo("tiny");
        assertThat(gateway.getProperty("env.DREP_GATEWAY_PROVIDER_API_KEY")).isEqualTo("length 18");
        assertThat(gateway.getProperty("key.on.command.line")).isEqualTo("false");
        assertThat(gateway.getProperty("quarkus.datasource.jdbc.url")).as("the gateway keeps budgets and its ledger")
                .isEqualTo(scanner.getProperty("quarkus.datasource.jdbc.url"));
        assertThat(gateway.getProperty("amqp-port")).as("the gateway does not message").isNull();
    }

    @Test
    void warningsPassByDefaultAndFailAtWarningAsJson() throws Exception {
        FakeServices.install(home, reports, FakeServices.working());
        scenario("warning");

        int code = terminal.run("review", repo.toString(), "--out", "reviews", "--fail-on", "warning", "--format", "json");

        assertThat(code).as(terminal.err()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode review = Json.MAPPER.readTree(terminal.out());
        assertThat(review.get("jobId").asText()).isEqualTo("job-1");
        assertThat(review.get("findings")).hasSize(1);
        assertThat(terminal.out().strip())
                .isEqualTo(Files.readString(dir.resolve("work/reviews/review.json")).strip());

        terminal.clear();
        assertThat(terminal.run("review", "repo", "--out", "reviews")).as(terminal.err()).isEqualTo(ExitCodes.OK);
        assertThat(terminal.out()).contains("Nothing at or above error.");
    }

    @Test
    void nothingToReviewIsASuccess() throws Exception {
        FakeServices.install(home, reports, FakeServices.working());
        scenario("nothing");

        int code = terminal.run("review", "repo");

        assertThat(code).as(terminal.err()).isEqualTo(ExitCodes.OK);
        assertThat(terminal.out()).contains("nothing to review: base and head are the same commit");
    }

    @Test
    void aRefusedRequestPrintsTheScannersMessageAndExitsWith2() throws Exception {
        FakeServices.install(home, reports, FakeServices.working());
        scenario("reject");

        int code = terminal.run("review", "repo");

        assertThat(code).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err()).contains("drep: The scanner refused to submit the review: " + repo
                + " is not a git repository: give the folder of a git working tree");
    }

    @Test
    void aFailedJobExitsWith2AndKeepsTheLogs() throws Exception {
        FakeServices.install(home, reports, FakeServices.working());
        scenario("failed");

        int code = terminal.run("review", "repo");

        assertThat(code).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err()).contains("drep: The review failed: analyzer-service crashed on unit 2.")
                .contains("The services' logs are kept in ");
        String kept = terminal.err().lines().filter(l -> l.startsWith("The services' logs are kept in ")).findFirst()
                .orElseThrow().substring("The services' logs are kept in ".length());
        assertThat(Path.of(kept).resolve("scanner-service.log")).exists();
    }

    @Test
    void aReviewRidesOverAScannerThatStopsAnsweringForAFewSeconds() throws Exception {
        FakeServices.install(home, reports, FakeServices.working());
        scenario("outage");

        int code = terminal.run("review", "repo");

        assertThat(code).as(terminal.err()).isEqualTo(ExitCodes.OK);
        String scanner = terminal.err().lines().filter(l -> l.contains("waiting for the scanner at ")).findFirst()
                .orElseThrow(() -> new AssertionError("no waiting line in:\n" + terminal.err()));
        assertThat(scanner).matches("drep: waiting for the scanner at http://127\\.0\\.0\\.1:\\d+ to come back \\(\\d+ s\\)");
        assertThat(terminal.err()).containsPattern("drep: the scanner at http://127\\.0\\.0\\.1:\\d+ is back after [2-9] s")
                .contains("drep: job job-1 done, 2 of 2 units done")
                .doesNotContain("Could not reach the scanner");
        assertThat(terminal.out()).contains("README.md:3: warning [md.trailing-whitespace] trailing whitespace");
    }

    @Test
    void aScannerThatStaysAwayLongerThanThePatienceEndsTheWatchWith2() throws Exception {
        FakeServices.install(home, reports, FakeServices.working());
        scenario("outage");

        int code = terminal.run("review", "repo", "--patience", "1");

        assertThat(code).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err()).containsPattern("drep: The scanner at http://127\\.0\\.0\\.1:\\d+ did not come back "
                + "within 1 s \\(Could not reach the scanner at .* to read job job-1: .*\\)\\. The review job job-1 may still "
                + "finish on the server")
                .contains("allow more time with --patience SECONDS.");
    }

    @Test
    void aServiceThatExitsAtStartShowsItsLogAndExitsWith2() throws Exception {
        FakeServices.install(home, reports, FakeServices.workingExcept(ServiceKind.ANALYZER, "exit"));

        int code = terminal.run("review", "repo");

        assertThat(code).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err())
                .contains("drep: analyzer-service stopped with code 3 before it was ready.")
                .contains("--- analyzer-service: last 40 lines of ")
                .contains("boom: could not connect to the database")
                .contains("starting line 60")
                .doesNotContain("starting line 20\n");
        assertThat(terminal.out()).isEmpty();
    }

    @Test
    void aServiceThatIsNeverReadyTimesOut() throws Exception {
        FakeServices.install(home, reports, FakeServices.workingExcept(ServiceKind.LLM_GATEWAY, "never-ready"));

        int code = terminal.run("review", "repo", "--start-timeout", "3");

        assertThat(code).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err()).contains("drep: llm-gateway was not ready after 3 s.")
                .contains("llm-gateway starting in mode never-ready");
    }

    @Test
    void onATerminalTheProgressIsABar() throws Exception {
        FakeServices.install(home, reports, FakeServices.working());
        scenario("warning");
        terminal.interactive(true);

        assertThat(terminal.run("review", "repo")).as(terminal.err()).isEqualTo(ExitCodes.OK);
        assertThat(terminal.err()).contains("\rdone       [" + "#".repeat(30) + "] 2/2 units")
                .doesNotContain("drep: job job-1");
        assertThat(terminal.out()).doesNotContain("\r");
    }
}
