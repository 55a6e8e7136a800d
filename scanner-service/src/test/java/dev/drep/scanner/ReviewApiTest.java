package dev.drep.scanner;

import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Review;
import dev.drep.contracts.Severity;
import dev.drep.contracts.WorkUnit;
import dev.drep.testsupport.git.TestRepository;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class ReviewApiTest {

    @Inject
    ObjectMapper json;
    @Inject
    JobEventSender events;

    @Test
    void aReviewIsPlannedIntoWorkUnitsWithSkippedFilesNamedAndFollowedToDone() throws Exception {
        Path dir = Files.createTempDirectory("scanner-review");
        String base;
        String head;
        try (TestRepository repo = TestRepository.init(dir)) {
            base = repo.write("README.md", "# Title\n\nSome text.\n").commit("base");
            head = repo.write("README.md", "# Title\n\nSome text.\nNew line \n")
                    .write("docs/guide.md", "#Guide\n")
                    .writeBytes("logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 1, 2})
                    .writeBytes("docs/latin1.md", new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'})
                    .write("node_modules/pkg/README.md", "ignored\n")
                    .write("src/Main.java", "class Main {}\n")
                    .write("package-lock.json", "{}\n")
                    .write("LICENSE", "MIT\n")
                    .commit("head");
        }
        Path out = Files.createTempDirectory("scanner-out");

        String jobId = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("repository", dir.toString(), "outputDir", out.toString()))
                .when().post("/api/reviews")
                .then().statusCode(202)
                .body("status", equalTo("QUEUED"))
                .body("base", equalTo(base)).body("head", equalTo(head))
                .extract().path("id");

        await(() -> "ANALYZING".equals(asAdmin().get("/api/jobs/" + jobId).path("status")));

        List<LoggedRequest> registrations = PublisherStubResource.server
                .findAll(putRequestedFor(urlEqualTo("/internal/jobs/" + jobId)));
        assertThat(registrations).hasSize(1);
        JobPlan plan = json.readValue(registrations.get(0).getBodyAsString(), JobPlan.class);
        assertThat(plan.notAnalyzed()).containsExactlyInAnyOrder(
                new NotAnalyzed("logo.png", "binary file"),
                new NotAnalyzed("docs/latin1.md", "not valid UTF-8 (invalid byte at offset 3)"),
                new NotAnalyzed("package-lock.json", "generated, vendored or lock file: not reviewed"),
                new NotAnalyzed("LICENSE", "no analyzer for this file type"));
        assertThat(plan.target().outputDir()).isEqualTo(out.toString());

        await(() -> WorkUnitRecorder.UNITS.stream().filter(u -> u.jobId().equals(jobId))
                .mapToInt(u -> u.files().size()).sum() == 4);
        List<WorkUnit> units = WorkUnitRecorder.UNITS.stream().filter(u -> u.jobId().equals(jobId)).toList();
        // a Java file goes to the LLM review and to the doc-comment check; markdown to the markdown checks
        assertThat(units).extracting(WorkUnit::analyzer)
                .containsExactlyInAnyOrder("markdown", "llm-review", "doc-comments");
        assertThat(units.stream().filter(u -> !u.analyzer().equals("markdown")))
                .allSatisfy(u -> assertThat(u.files()).extracting(f -> f.path()).containsExactly("src/Main.java"));
        assertThat(plan.unitIds()).containsExactlyInAnyOrderElementsOf(units.stream().map(WorkUnit::unitId).toList());
        var readme = units.stream().flatMap(u -> u.files().stream()).filter(f -> f.path().equals("README.md"))
                .findFirst().orElseThrow();
        assertThat(readme.changedLines()).containsExactly(new LineRange(4, 4));
        assertThat(readme.content()).endsWith("New line \n");
        asAdmin().get("/api/jobs/" + jobId).then().body("unitsTotal", equalTo(units.size()));
        // findings are known once the publisher has composed the review
        asAdmin().get("/api/jobs/" + jobId + "/findings").then().statusCode(409).body("error", equalTo("not_ready"))
                .body("message", containsString("ANALYZING"));
        PublisherStubResource.server.stubFor(WireMock.get("/internal/jobs/" + jobId + "/review").willReturn(WireMock.okJson(
                json.writeValueAsString(new Review(jobId, "repo", base, head, "summary", Map.of(Severity.WARNING, 1),
                        List.of(new Finding("md.trailing-whitespace", "README.md", 4, Severity.WARNING,
                                "trailing whitespace", null, "New line ")),
                        plan.notAnalyzed(), List.of())))));
        asAdmin().get("/api/jobs/" + jobId + "/findings").then().statusCode(200)
                .body("jobId", equalTo(jobId)).body("status", equalTo("ANALYZING"))
                .body("findings[0].rule", equalTo("md.trailing-whitespace")).body("findings[0].line", equalTo(4))
                .body("findings[0].lineText", equalTo("New line "))
                .body("notAnalyzed.size()", equalTo(4)).body("summaryFindings.size()", equalTo(0));

        events.send("{\"jobId\":\"" + jobId + "\",\"status\":\"DONE\",\"unitsDone\":" + units.size() + ",\"unitsTotal\":"
                + units.size() + ",\"findings\":{\"WARNING\":2,\"INFO\":1},\"outputs\":[\"" + out + "/review.md\"]}");
        await(() -> "DONE".equals(asAdmin().get("/api/jobs/" + jobId).path("status")));
        asAdmin().get("/api/jobs/" + jobId).then()
                .body("findings.WARNING", equalTo(2)).body("findings.INFO", equalTo(1))
                .body("findings.ERROR", equalTo(0))
                .body("outputs[0]", equalTo(out + "/review.md"))
                .body("finishedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aPublisherRestartingWhileTheJobIsPlannedIsWaitedFor() throws Exception {
        Path dir = Files.createTempDirectory("scanner-review");
        try (TestRepository repo = TestRepository.init(dir)) {
            repo.write("README.md", "# Title\n").commit("base");
            repo.write("README.md", "# Title\n\nMore.\n").commit("head");
        }
        // the publisher answers 503 six times (more than the 5 attempts planning used to make), then takes the plan
        String scenario = "restarting-" + UUID.randomUUID();
        String state = Scenario.STARTED;
        for (int i = 1; i <= 6; i++) {
            String next = "refused-" + i;
            PublisherStubResource.server.stubFor(WireMock.put(WireMock.urlPathMatching("/internal/jobs/[^/]+"))
                    .atPriority(1).inScenario(scenario).whenScenarioStateIs(state)
                    .willReturn(WireMock.serviceUnavailable()).willSetStateTo(next));
            state = next;
        }
        try {
            String jobId = asAdmin().contentType(ContentType.JSON)
                    .body(Map.of("repository", dir.toString(), "outputDir",
                            Files.createTempDirectory("scanner-out").toString()))
                    .when().post("/api/reviews")
                    .then().statusCode(202)
                    .extract().path("id");

            await(() -> "ANALYZING".equals(asAdmin().get("/api/jobs/" + jobId).path("status")), Duration.ofSeconds(40));
            assertThat(PublisherStubResource.server.findAll(putRequestedFor(urlEqualTo("/internal/jobs/" + jobId))))
                    .as("six refusals, then the registration that was taken").hasSize(7);
        } finally {
            PublisherStubResource.server.resetScenarios();
            PublisherStubResource.server.getStubMappings().stream()
                    .filter(m -> scenario.equals(m.getScenarioName()))
                    .forEach(PublisherStubResource.server::removeStub);
        }
    }

    @Test
    void baseEqualToHeadIsDoneAtOnceWithNothingToReview() throws Exception {
        Path dir = Files.createTempDirectory("scanner-same");
        String head;
        try (TestRepository repo = TestRepository.init(dir)) {
            head = repo.write("a.md", "a\n").commit("one");
        }
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("repository", dir.toString(), "base", head, "head", head, "outputDir", "/tmp/x"))
                .when().post("/api/reviews")
                .then().statusCode(202).body("status", equalTo("DONE"))
                .body("message", containsString("nothing to review"));
    }

    @Test
    void findingsOfAJobWithNothingToReviewAreEmptyAndOfAnUnknownJob404() throws Exception {
        Path dir = Files.createTempDirectory("scanner-same-findings");
        String head;
        try (TestRepository repo = TestRepository.init(dir)) {
            head = repo.write("a.md", "a\n").commit("one");
        }
        String jobId = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("repository", dir.toString(), "base", head, "head", head, "outputDir", "/tmp/x"))
                .when().post("/api/reviews").then().statusCode(202).extract().path("id");
        asAdmin().get("/api/jobs/" + jobId + "/findings").then().statusCode(200).body("status", equalTo("DONE"))
                .body("findings.size()", equalTo(0)).body("notAnalyzed.size()", equalTo(0));
        asAdmin().get("/api/jobs/00000000-0000-0000-0000-000000000000/findings").then().statusCode(404)
                .body("error", equalTo("not_found"));
        asAdmin().get("/api/jobs/not-a-uuid/findings").then().statusCode(404);
    }

    @Test
    void badRequestsAreRefusedWithAMessageNamingTheProblem() throws Exception {
        asAdmin().contentType(ContentType.JSON).body(Map.of("outputDir", "/tmp/out"))
                .when().post("/api/reviews")
                .then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("message", containsString("'repository' is required"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("repository", "/tmp"))
                .when().post("/api/reviews")
                .then().statusCode(400).body("message", containsString("'outputDir' is required"));
        asAdmin().contentType(ContentType.JSON).body("{\"repository\": ")
                .when().post("/api/reviews")
                .then().statusCode(400).body("error", equalTo("invalid_json"));

        Path notARepo = Files.createTempDirectory("not-a-repo");
        asAdmin().contentType(ContentType.JSON).body(Map.of("repository", notARepo.toString(), "outputDir", "/tmp/out"))
                .when().post("/api/reviews")
                .then().statusCode(400).body("message", containsString("is not a git repository"));

        Path dir = Files.createTempDirectory("scanner-unknown-rev");
        try (TestRepository repo = TestRepository.init(dir)) {
            repo.write("a.md", "a\n").commit("one");
        }
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("repository", dir.toString(), "head", "no-such-branch", "outputDir", "/tmp/out"))
                .when().post("/api/reviews")
                .then().statusCode(400).body("message", containsString("unknown revision 'no-such-branch'"));
    }

    @Test
    void pathsOutsideTheRootsAreRefusedAlikeWhetherTheyExistOrAreRepositories() throws Exception {
        // the user's home is outside the %test roots (the temporary folders); the build's target/ may not be (a
        // checkout under /tmp)
        Path outside = Path.of(System.getProperty("user.home"), ".drep-outside-roots-" + UUID.randomUUID()).toAbsolutePath();
        assertThat(outside.startsWith(Path.of(System.getProperty("java.io.tmpdir"))) || outside.startsWith("/tmp"))
                .as("%s must be outside the temporary folders for this test", outside).isFalse();
        try (TestRepository repo = TestRepository.init(outside)) {
            repo.write("a.md", "a\n").commit("one");
        }
        String expected = "field 'repository' must be a local git repository under one of the folders of "
                + "drep.scanner.local-reviews.roots";
        try {
            for (String path : List.of(outside.toString(), "/etc", "/no/such/folder-" + UUID.randomUUID())) {
                asAdmin().contentType(ContentType.JSON).body(Map.of("repository", path, "outputDir", "/tmp/out"))
                        .when().post("/api/reviews")
                        .then().statusCode(400).body("message", startsWith(expected))
                        .body("message", not(containsString("not a git repository")))
                        .body("message", not(containsString("does not exist")));
            }
        } finally {
            try (java.util.stream.Stream<Path> paths = Files.walk(outside)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }

        Path inside = Files.createTempDirectory("scanner-inside");
        try (TestRepository repo = TestRepository.init(inside)) {
            repo.write("a.md", "a\n").commit("one");
        }
        asAdmin().contentType(ContentType.JSON).body(Map.of("repository", inside.toString(), "outputDir", "/etc/drep-out"))
                .when().post("/api/reviews")
                .then().statusCode(400).body("message", containsString("drep.scanner.local-reviews.output-roots"));
    }

    @Test
    void unknownJobsAre404() {
        asAdmin().get("/api/jobs/00000000-0000-0000-0000-000000000000").then().statusCode(404)
                .body("error", equalTo("not_found"));
        asAdmin().get("/api/jobs/not-a-uuid").then().statusCode(404);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        await(condition, Duration.ofSeconds(20));
    }

    static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + limit.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }
}
