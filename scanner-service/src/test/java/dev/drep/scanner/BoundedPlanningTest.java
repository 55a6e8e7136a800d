package dev.drep.scanner;

import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.WorkUnit;
import dev.drep.core.git.LocalRepositories;
import dev.drep.core.platform.Platform;
import dev.drep.scanner.fetch.MirrorPruning;
import dev.drep.scanner.fetch.RepositoryMirrors;
import dev.drep.scanner.repository.RepositorySnapshot;
import dev.drep.testsupport.git.TestRepository;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;

/** Planning is bounded per job, and mirrors are pruned: docs/architecture.md, "Bounded planning". */
@QuarkusTest
@TestProfile(BoundedPlanningTest.SmallJobLimits.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class BoundedPlanningTest {
    private static final int PATHS = 20_000;
    /** one blob of exactly 1000 bytes: 100 of them fill the byte cap */
    private static final String TEXT = ("# Page\n\n" + "Same text, again and again. ".repeat(40)).substring(0, 999) + "\n";
    private static final String REASON = "over the job's size limit (5000 files / 100000 bytes)";

    /** A byte cap of 100 files' worth, far below what 20,000 copies of the blob would take. */
    public static class SmallJobLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("drep.scanner.job-limits.max-bytes", "100000");
        }
    }

    @Inject
    ObjectMapper json;
    @Inject
    JobEventSender events;
    @Inject
    MirrorPruning pruning;
    @Inject
    RepositoryMirrors mirrors;

    @Test
    void theManyPathsOneBlobChangeIsPlannedWithinTheCapsAndReviewedWithTheOverflowNamed() throws Exception {
        Path dir = Files.createTempDirectory("scanner-many-paths");
        String base;
        try (TestRepository repo = TestRepository.init(dir)) {
            base = repo.write("README.md", "# Readme\n").commit("base");
        }
        String head = manyPathsToOneBlob(dir, base);
        Path out = Files.createTempDirectory("scanner-many-paths-out");

        String jobId = api().contentType(ContentType.JSON)
                .body(Map.of("repository", dir.toString(), "base", base, "head", head, "outputDir", out.toString()))
                .when().post("/api/reviews")
                .then().statusCode(202)
                .extract().path("id");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> "ANALYZING".equals(api().get("/api/jobs/" + jobId).path("status")));
        List<LoggedRequest> registrations = PublisherStubResource.server
                .findAll(putRequestedFor(urlEqualTo("/internal/jobs/" + jobId)));
        assertThat(registrations).hasSize(1);
        JobPlan plan = json.readValue(registrations.get(0).getBodyAsString(), JobPlan.class);
        // the first 100 paths in path order fit the byte cap; every later one is named with the cap
        assertThat(plan.notAnalyzed()).hasSize(PATHS - 100).extracting(NotAnalyzed::reason).containsOnly(REASON);
        assertThat(plan.notAnalyzed().get(0)).isEqualTo(new NotAnalyzed(page(100), REASON));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> units(jobId).stream().mapToInt(u -> u.files().size()).sum() == 100);
        List<WorkUnit> units = units(jobId);
        assertThat(units).flatExtracting(WorkUnit::files).extracting(FileToAnalyze::path)
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 100)
                        .mapToObj(BoundedPlanningTest::page).toList());
        assertThat(units).flatExtracting(WorkUnit::files).extracting(FileToAnalyze::content).containsOnly(TEXT);
        assertThat(plan.unitIds()).containsExactlyInAnyOrderElementsOf(units.stream().map(WorkUnit::unitId).toList());

        events.send("{\"jobId\":\"" + jobId + "\",\"status\":\"DONE\",\"unitsDone\":" + units.size() + ",\"unitsTotal\":"
                + units.size() + ",\"findings\":{},\"outputs\":[]}");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "DONE".equals(api().get("/api/jobs/" + jobId).path("status")));
        api().get("/api/jobs/" + jobId).then().body("unitsTotal", equalTo(units.size()));
    }

    @Test
    void theScheduledPruningDropsThePullRequestRefsNoJobReviewedLatelyAndKeepsTheBranches() throws Exception {
        TestOrigin origin = TestOrigin.create();
        String head = origin.work.write("README.md", "# one\n").commit("one");
        origin.push("refs/heads/main", "refs/heads/main");
        origin.push("refs/heads/main", "refs/pull/8/head");
        RepositorySnapshot repo = new RepositorySnapshot(UUID.randomUUID(), Platform.GITEA, "acme/pruned", origin.url(),
                "https://api.example", null, "main", null);
        mirrors.fetch(repo, List.of("refs/heads/main", "refs/pull/8/head")).close();

        assertThat(pruning.prune(Instant.now()).await().atMost(Duration.ofSeconds(30))).isZero();

        try (Repository mirror = mirrors.open(repo)) {
            assertThat(mirror.exactRef("refs/pull/8/head")).as("no job ever reviewed pull request 8").isNull();
            assertThat(mirror.exactRef("refs/heads/main").getObjectId().name()).isEqualTo(head);
        }
    }

    /** Commits {@value #PATHS} paths naming one blob on top of {@code base}; returns the commit. */
    private static String manyPathsToOneBlob(Path dir, String base) throws Exception {
        try (Repository git = LocalRepositories.open(dir); ObjectInserter inserter = git.newObjectInserter()) {
            ObjectId blob = inserter.insert(Constants.OBJ_BLOB, TEXT.getBytes(StandardCharsets.UTF_8));
            ObjectId readme = inserter.insert(Constants.OBJ_BLOB, "# Readme\n".getBytes(StandardCharsets.UTF_8));
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            builder.add(entry("README.md", readme));
            for (int i = 0; i < PATHS; i++) {
                builder.add(entry(page(i), blob));
            }
            builder.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            commit.setParentId(ObjectId.fromString(base));
            PersonIdent who = new PersonIdent("Test", "test@example.com");
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage("twenty thousand paths, one blob");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            RefUpdate update = git.updateRef(Constants.HEAD);
            update.setNewObjectId(id);
            update.forceUpdate();
            return id.name();
        }
    }

    private static DirCacheEntry entry(String path, ObjectId blob) {
        DirCacheEntry entry = new DirCacheEntry(path);
        entry.setFileMode(FileMode.REGULAR_FILE);
        entry.setObjectId(blob);
        return entry;
    }

    private static String page(int i) {
        return String.format("docs/page-%05d.md", i);
    }

    private static List<WorkUnit> units(String jobId) {
        return WorkUnitRecorder.UNITS.stream().filter(u -> u.jobId().equals(jobId)).toList();
    }

    private static RequestSpecification api() {
        return TestTokens.asAdmin();
    }
}
