package dev.drep.scanner.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.Severity;
import dev.drep.core.git.RevisionRange;
import dev.drep.scanner.PublisherStubResource;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The service method the planner calls, and what a local review reads from the repository for it. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class ReservationReviewTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    ReservationService service;
    @Inject
    ReservationReview review;
    @Inject
    Pool pool;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "quarkus.rest-client.review-publisher.url")
    String publisherUrl;

    @Test
    void changedPathsUnderAnotherHoldersExclusiveReservationBecomeWarnings() {
        String repo = "acme-" + UUID.randomUUID() + "/docs";
        reserve(repo, "bob", "docs/**", true, "docs rewrite");
        reserve(repo, "alice", "src/**", true, null);
        reserve(repo, "carol", "tests/**", false, "flaky tests");

        List<Finding> findings = review.findings(repo, "alice",
                List.of("docs/guide.md", "src/app.py", "tests/test_app.py", "README.md")).await().atMost(WAIT);

        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        assertThat(finding.rule()).isEqualTo("reservation.conflict");
        assertThat(finding.severity()).isEqualTo(Severity.WARNING);
        assertThat(finding.path()).isEqualTo("docs/guide.md");
        assertThat(finding.line()).isZero();
        assertThat(finding.message()).contains("docs/guide.md is under an exclusive reservation of bob")
                .contains("pattern \"docs/**\"").contains("reason: docs rewrite").contains("expires 20");

        // an unknown author is nobody's holder: every exclusive reservation counts, shared ones never
        assertThat(review.findings(repo, null, List.of("docs/a.md", "src/b.py", "tests/c.py")).await().atMost(WAIT))
                .extracting(Finding::path).containsExactly("docs/a.md", "src/b.py");
        assertThat(review.findings(repo, "bob", List.of()).await().atMost(WAIT)).isEmpty();
        assertThat(review.findings("no-reservations-" + UUID.randomUUID(), "bob", List.of("docs/a.md"))
                .await().atMost(WAIT)).isEmpty();
    }

    @Test
    void theBlockingFormForThePlannerNeverFailsAReview() throws Exception {
        String repo = "acme-" + UUID.randomUUID() + "/docs";
        reserve(repo, "bob", "docs/**", true, "docs rewrite");
        ReservationReview.Checked checked = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> review.check(repo, "alice", List.of("docs/a.md"), WAIT)).get();
        assertThat(checked.findings()).extracting(Finding::path).containsExactly("docs/a.md");
        assertThat(checked.notes()).isEmpty();

        // the reservations cannot be read while another transaction holds the table: the check runs out of time
        ReservationReview.Checked late = pool.withTransaction(tx -> tx.query(
                        "LOCK TABLE scanner.reservation IN ACCESS EXCLUSIVE MODE").execute()
                .chain(() -> Uni.createFrom().completionStage(java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> review.check(repo, "alice", List.of("docs/a.md"), Duration.ofMillis(300))))))
                .await().atMost(WAIT);
        assertThat(late.findings()).isEmpty();
        assertThat(late.notes()).singleElement().asString().startsWith("File reservations could not be checked");
    }

    @Test
    void aBroadReservationGivesAtMost25FindingsAndOneCountingTheRest() {
        String repo = "acme-" + UUID.randomUUID() + "/big";
        reserve(repo, "bob", "big/", true, null);
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            paths.add("big/file" + i + ".txt");
        }
        List<Finding> findings = review.findings(repo, "alice", paths).await().atMost(WAIT);
        assertThat(findings).hasSize(26);
        assertThat(findings.get(24).path()).isEqualTo("big/file24.txt");
        assertThat(findings.get(25).path()).isEqualTo("big/file25.txt");
        assertThat(findings.get(25).message()).startsWith("and 5 more changed files, starting with big/file25.txt,");
    }

    @Test
    void aLocalReviewUsesTheOriginKeyTheHeadCommitsAuthorAndBothNamesOfARename() throws Exception {
        Path dir = Files.createTempDirectory("reservation-review");
        PersonIdent someone = new PersonIdent("Someone", "someone@example.com");
        PersonIdent alice = new PersonIdent("Alice", "alice@example.com");
        String base;
        String head;
        String key = "acme-" + UUID.randomUUID() + "/widgets";
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            StoredConfig config = git.getRepository().getConfig();
            config.setString("remote", "origin", "url", "git@github.com:" + key + ".git");
            config.save();
            write(dir, "docs/old-name.md", "# Same content\n\nlong enough to be detected as a rename\n".repeat(5));
            write(dir, "src/gone.py", "print('bye')\n");
            write(dir, "src/kept.py", "x = 1\n");
            git.add().addFilepattern(".").call();
            base = git.commit().setMessage("base").setAuthor(someone).setCommitter(someone).call().getName();
            Files.move(dir.resolve("docs/old-name.md"), dir.resolve("docs/new-name.md"));
            Files.delete(dir.resolve("src/gone.py"));
            write(dir, "src/kept.py", "x = 2\n");
            write(dir, "src/added.py", "y = 1\n");
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            head = git.commit().setMessage("head").setAuthor(alice).setCommitter(someone).call().getName();

            ReservationReview.LocalChange change = ReservationReview.localChange(git.getRepository(),
                    new RevisionRange(base, head));
            assertThat(change.repository()).isEqualTo(key);
            assertThat(change.author()).isEqualTo("alice@example.com");
            assertThat(change.paths()).containsExactlyInAnyOrder("docs/old-name.md", "docs/new-name.md", "src/gone.py",
                    "src/kept.py", "src/added.py");

            reserve(key, "bob", "docs/old-name.md", true, "moving docs");
            reserve(key, "bob", "src/gone.py", true, null);
            reserve(key, "alice@example.com", "src/kept.py", true, null);
            assertThat(review.findings(change).await().atMost(WAIT)).extracting(Finding::path)
                    .containsExactlyInAnyOrder("docs/old-name.md", "src/gone.py");
        }
    }

    @Test
    void aLocalReviewCarriesTheReservationFindingsInItsPlan() throws Exception {
        Path dir = Files.createTempDirectory("reservation-local-review");
        String key = "acme-" + UUID.randomUUID() + "/handbook";
        PersonIdent someone = new PersonIdent("Someone", "someone@example.com");
        PersonIdent alice = new PersonIdent("Alice", "alice@example.com");
        String base;
        String head;
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            StoredConfig config = git.getRepository().getConfig();
            config.setString("remote", "origin", "url", "https://github.com/" + key + ".git");
            config.save();
            write(dir, "docs/guide.md", "# Guide\n");
            write(dir, "notes/mine.md", "# Mine\n");
            git.add().addFilepattern(".").call();
            base = git.commit().setMessage("base").setAuthor(someone).setCommitter(someone).call().getName();
            write(dir, "docs/guide.md", "# Guide\n\nMore.\n");
            write(dir, "notes/mine.md", "# Mine\n\nMore.\n");
            git.add().addFilepattern(".").call();
            head = git.commit().setMessage("head").setAuthor(alice).setCommitter(alice).call().getName();
        }
        reserve(key, "bob", "docs/**", true, "docs rewrite");
        reserve(key, "alice@example.com", "notes/**", true, null);

        String jobId = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("repository", dir.toString(), "base", base, "head", head,
                        "outputDir", Files.createTempDirectory("reservation-out").toString()))
                .when().post("/api/reviews").then().statusCode(202).extract().path("id");

        URI publisher = URI.create(publisherUrl);
        WireMock stub = new WireMock(publisher.getHost(), publisher.getPort());
        long deadline = System.nanoTime() + WAIT.multipliedBy(2).toNanos();
        List<LoggedRequest> registrations = List.of();
        while (registrations.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            registrations = stub.find(putRequestedFor(urlEqualTo("/internal/jobs/" + jobId)));
        }
        assertThat(registrations).as("the plan of job %s reached the publisher", jobId).hasSize(1);
        JobPlan plan = json.readValue(registrations.get(0).getBodyAsString(), JobPlan.class);
        assertThat(plan.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.rule()).isEqualTo("reservation.conflict");
            assertThat(finding.path()).isEqualTo("docs/guide.md");
            assertThat(finding.message()).contains("bob").contains("docs rewrite");
        });
    }

    private void reserve(String repo, String holder, String pattern, boolean exclusive, String reason) {
        service.reserve(repo, new ReserveRequest(holder, List.of(pattern), exclusive, null, reason, false))
                .await().atMost(WAIT);
    }

    private static void write(Path dir, String path, String content) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
