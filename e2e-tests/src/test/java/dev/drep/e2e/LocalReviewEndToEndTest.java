package dev.drep.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.drep.contracts.Finding;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Review;
import dev.drep.contracts.Severity;
import dev.drep.testsupport.http.TestHttpClient;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reviews a real git repository through the launcher and the four packaged services, on embedded
 * PostgreSQL and Artemis, with a stack kept up by {@code drep up} for the whole class.
 */
class LocalReviewEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    @TempDir
    static Path work;
    private static Drep drep;
    private static Path repository;
    private static SampleRepository sample;

    @BeforeAll
    static void startStack() {
        drep = new Drep(work.resolve("data"));
        repository = work.resolve("sample");
        sample = SampleRepository.create(repository);
        Drep.Run up = drep.run(work, "up", "--free-ports");
        assertThat(up.exitCode()).as("drep up: %s%n%s", up.out(), up.err()).isZero();
    }

    @AfterAll
    static void stopStack() {
        if (drep != null) {
            drep.run(work, "down");
        }
    }

    @Test
    void theServicesListenOnLoopbackOnlyAndWantTheStacksToken() throws Exception {
        JsonNode state = JSON.readTree(work.resolve("data").resolve("stack.json").toFile());
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                Collections.list(nic.getInetAddresses()).stream()
                        .filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress()).forEach(others::add);
            }
        }
        assertThat(others).as("this machine's addresses other than loopback (the test needs one)").isNotEmpty();
        TestHttpClient http = TestHttpClient.create();
        for (JsonNode service : state.path("services")) {
            // the API port and the management port (health, metrics): both on loopback only
            for (String field : List.of("url", "managementUrl")) {
                int port = URI.create(service.path(field).asText()).getPort();
                try (Socket loopback = new Socket()) {
                    loopback.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                }
                for (InetAddress other : others) {
                    assertThatThrownBy(() -> {
                        try (Socket outside = new Socket()) {
                            outside.connect(new InetSocketAddress(other, port), 2000);
                        }
                    }).as("%s %s on %s:%d", service.path("name").asText(), field, other.getHostAddress(), port)
                            .isInstanceOf(ConnectException.class);
                }
            }
            // metrics only on the management port
            URI apiMetrics = URI.create(service.path("url").asText() + "/q/metrics");
            URI metrics = URI.create(service.path("managementUrl").asText() + "/q/metrics");
            assertThat(http.send(HttpRequest.newBuilder(apiMetrics).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).as("%s", apiMetrics).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).as("%s", metrics).isEqualTo(200);
        }

        // the admin token drep up made: readable by the user only, and what the API wants
        Path tokenFile = work.resolve("data").resolve("admin-token");
        assertThat(Files.getPosixFilePermissions(tokenFile)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        String token = Files.readString(tokenFile).strip();
        URI jobs = URI.create(scannerUrl(state) + "/api/jobs");
        assertThat(http.send(HttpRequest.newBuilder(jobs).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("anonymous %s", jobs).isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(jobs).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("with the stack's admin token").isEqualTo(200);
    }

    private static String scannerUrl(JsonNode state) {
        for (JsonNode service : state.path("services")) {
            if (service.path("name").asText().equals("scanner-service")) {
                return service.path("url").asText();
            }
        }
        throw new AssertionError("no scanner-service in " + state);
    }

    @Test
    void reviewsTheChangedLinesThroughAllFourServices() throws Exception {
        Path out = work.resolve("review-warning");

        Drep.Run run = drep.run(work, "review", repository.toString(), "--out", out.toString(), "--fail-on", "warning");

        assertThat(run.exitCode()).as("exit code (a warning is at or above --fail-on warning)%n%s%n%s", run.out(), run.err())
                .isEqualTo(1);
        Review review = JSON.readValue(out.resolve("review.json").toFile(), Review.class);
        assertThat(review.base()).isEqualTo(sample.base);
        assertThat(review.head()).isEqualTo(sample.head);
        assertThat(review.findings()).extracting(Finding::rule, Finding::path, Finding::line).containsExactly(
                tuple("md.trailing-whitespace", "README.md", 4),
                tuple("md.heading-space", "README.md", 5),
                tuple("md.bare-url", "README.md", 6),
                tuple("md.unbalanced-brackets", "README.md", 7),
                tuple("md.line-length", "README.md", 8),
                tuple("md.tab", "docs/guide.md", 4),
                tuple("md.unclosed-fence", "docs/new.md", 3));
        assertThat(review.counts()).containsEntry(Severity.WARNING, 2).containsEntry(Severity.INFO, 5)
                .containsEntry(Severity.ERROR, 0);
        assertThat(review.notAnalyzed()).contains(new NotAnalyzed("image.png", "binary file"))
                .anySatisfy(n -> assertThat(n.path()).isEqualTo("docs/latin1.md"));

        assertThat(run.out()).contains("README.md:4: info [md.trailing-whitespace]")
                .contains("docs/new.md:3: warning [md.unclosed-fence]");
        assertThat(Files.readString(out.resolve("review.md"))).contains("image.png").contains("binary file");

        JsonNode sarif = JSON.readTree(out.resolve("review.sarif").toFile());
        assertThat(SarifSchema.violations(sarif)).as("review.sarif validates against SARIF 2.1.0").isEmpty();
        assertThat(sarif.at("/runs/0/results")).hasSize(7);
    }

    @Test
    void theProfileAccountsForTheWallTimeAcrossTheFourServices() {
        Drep.Run run = drep.run(work, "review", repository.toString(), "--out", work.resolve("review-profile").toString(),
                "--profile");

        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isZero();
        PrintedProfile profile = new PrintedProfile(run.out());
        // each service recorded its stages: the scanner (queue, git), the analyzer (analysis), the publisher
        assertThat(profile.wallMillis("waiting in a queue")).isPositive();
        assertThat(profile.wallMillis("git fetch and diff")).isPositive();
        assertThat(profile.busyMillis("parsing and analysis")).isPositive();
        assertThat(profile.busyMillis("publishing")).isPositive();
        assertThat(profile.busyMillis("database")).isPositive();
        // the stages add up to the wall time within a few percent
        assertThat(profile.unaccountedPercent()).as("share of wall time not accounted for%n%s", profile)
                .isLessThanOrEqualTo(5.0);
    }

    @Test
    void exitsZeroWhenNothingReachesTheDefaultThreshold() {
        Drep.Run run = drep.run(work, "review", repository.toString(), "--out", work.resolve("review-default").toString());

        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isZero();
        assertThat(run.out()).contains("docs/new.md:3: warning [md.unclosed-fence]");
    }

    @Test
    void baseEqualToHeadHasNothingToReview() {
        Drep.Run run = drep.run(work, "review", repository.toString(), "--base", sample.head, "--head", sample.head,
                "--out", work.resolve("review-empty").toString());

        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isZero();
        assertThat(run.out() + run.err()).containsIgnoringCase("nothing to review");
    }

    @Test
    void aFolderThatIsNotAGitRepositoryCannotBeReviewed() throws Exception {
        Path plain = Files.createDirectories(work.resolve("plain-folder"));

        Drep.Run run = drep.run(work, "review", plain.toString(), "--out", work.resolve("review-plain").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out() + run.err()).contains("is not a git repository");
    }

    @Test
    void anUnknownRevisionIsNamed() {
        Drep.Run run = drep.run(work, "review", repository.toString(), "--head", "no-such-branch",
                "--out", work.resolve("review-unknown").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out() + run.err()).contains("unknown revision 'no-such-branch'");
    }
}
