package dev.drep.scanner;

import static dev.drep.scanner.Platforms.awaitFiles;
import static dev.drep.scanner.Platforms.awaitPlanned;
import static dev.drep.scanner.Platforms.deliverGitea;
import static dev.drep.scanner.Platforms.deliverGithub;
import static dev.drep.scanner.Platforms.deliverGitlab;
import static dev.drep.scanner.Platforms.githubPullRequest;
import static dev.drep.scanner.Platforms.gitlabMergeRequest;
import static dev.drep.scanner.Platforms.plan;
import static dev.drep.scanner.Platforms.units;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.contracts.VerifyMode;
import dev.drep.contracts.WorkUnit;
import dev.drep.scanner.reservation.ReservationService;
import dev.drep.scanner.reservation.ReserveRequest;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Pull request reviews and scans from webhook to plan, over real git transport. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class PullRequestReviewTest {
    @Inject
    JobEventSender events;
    @Inject
    ReservationService reservations;

    @Test
    void aSynchronizedPullRequestAnalysesOnlyTheFilesChangedSinceTheLastReview() throws Exception {
        TestOrigin origin = TestOrigin.create();
        String base = origin.work.write("README.md", "# Docs\n").commit("base");
        origin.push("refs/heads/main", "refs/heads/main");
        String head1 = origin.work.branch("feature")
                .write("docs/a.md", "# A\n\nfirst\n")
                .write("docs/b.md", "# B\n\nline one\nline two\n")
                .commit("a and b");
        origin.push("refs/heads/feature", "refs/pull/7/head");
        String name = Platforms.uniqueName("acme/docs");
        Platforms.register("github", name, origin.url(), "https://api.github.com");

        String job1 = deliverGithub("pull_request", UUID.randomUUID().toString(), githubPullRequest("opened", name, 7, base, head1))
                .then().statusCode(202).extract().path("jobId");
        assertThat(awaitPlanned(job1)).isEqualTo("ANALYZING");
        JobPlan plan1 = plan(job1);
        assertThat(awaitFiles(job1, plan1)).containsOnlyKeys("docs/a.md", "docs/b.md");
        assertThat(plan1.target().kind()).isEqualTo(ReviewTarget.PULL_REQUEST);
        assertThat(plan1.target().pullRequest()).isEqualTo(new PullRequestRef("github", "https://api.github.com", name, null, 7,
                base, base, head1, "test-token"));
        assertThat(plan1.settings()).isEqualTo(PublishSettings.DEFAULTS);
        assertThat(plan1.notes()).isEmpty();
        assertThat(units(job1)).allSatisfy(u -> assertThat(u.priority()).isEqualTo(WorkUnit.INTERACTIVE));

        events.send("{\"jobId\":\"" + job1 + "\",\"status\":\"DONE\",\"unitsDone\":1,\"unitsTotal\":1}");
        ReviewApiTest.await(() -> "DONE".equals(asAdmin().get("/api/jobs/" + job1).path("status")));

        String head2 = origin.work.write("docs/b.md", "# B\n\nline one\nline two\nline three\n")
                .write("docs/c.md", "# C\n")
                .commit("b grows, c appears");
        origin.push("refs/heads/feature", "refs/pull/7/head");
        String job2 = deliverGithub("pull_request", UUID.randomUUID().toString(),
                githubPullRequest("synchronize", name, 7, base, head2)).then().statusCode(202).extract().path("jobId");
        assertThat(awaitPlanned(job2)).isEqualTo("ANALYZING");
        JobPlan plan2 = plan(job2);
        Map<String, FileToAnalyze> files = awaitFiles(job2, plan2);
        assertThat(files).containsOnlyKeys("docs/b.md", "docs/c.md");
        // lines come from base..head (b.md is new in the pull request), not from the last head
        assertThat(files.get("docs/b.md").changedLines()).containsExactly(new LineRange(1, 5));
        assertThat(plan2.base()).isEqualTo(base);
        assertThat(plan2.head()).isEqualTo(head2);
        // the publisher takes a.md's findings from the review of head1
        assertThat(plan2.previousHead()).isEqualTo(head1);
        assertThat(plan2.carriedOver()).containsExactly("docs/a.md");
        assertThat(plan1.previousHead()).isNull();
        assertThat(plan2.notes()).singleElement().asString()
                .contains("Incremental review: 2 files changed since the last review at " + head1.substring(0, 7))
                .contains("1 file unchanged since then keep the earlier findings: docs/a.md");
        asAdmin().get("/api/jobs/" + job2).then().body("base", equalTo(base)).body("head", equalTo(head2))
                .body("repository", equalTo(name));

        // the same head again (a reopen) is not reviewed twice
        events.send("{\"jobId\":\"" + job2 + "\",\"status\":\"DONE\",\"unitsDone\":1,\"unitsTotal\":1}");
        ReviewApiTest.await(() -> "DONE".equals(asAdmin().get("/api/jobs/" + job2).path("status")));
        deliverGithub("pull_request", UUID.randomUUID().toString(), githubPullRequest("reopened", name, 7, base, head2))
                .then().statusCode(200).body("status", equalTo("duplicate")).body("jobId", equalTo(job2));
    }

    @Test
    void aPushAfterARefusedAnalysisPlansTheFileAgainUntilItsAnalysisSucceeds() throws Exception {
        TestOrigin origin = TestOrigin.create();
        String base = origin.work.write("README.md", "# Docs\n").commit("base");
        origin.push("refs/heads/main", "refs/heads/main");
        String head1 = origin.work.branch("feature")
                .write("docs/a.md", "# A\n\nfirst\n")
                .write("docs/b.md", "# B\n\nline one\n")
                .commit("a and b");
        origin.push("refs/heads/feature", "refs/pull/9/head");
        String name = Platforms.uniqueName("acme/docs");
        Platforms.register("github", name, origin.url(), "https://api.github.com");
        String job1 = deliverGithub("pull_request", UUID.randomUUID().toString(), githubPullRequest("opened", name, 9, base, head1))
                .then().statusCode(202).extract().path("jobId");
        assertThat(awaitPlanned(job1)).isEqualTo("ANALYZING");
        // the analyzer refused docs/a.md (its LLM budget was spent): the publisher names it in the final event
        events.send("{\"jobId\":\"" + job1 + "\",\"status\":\"DONE\",\"unitsDone\":1,\"unitsTotal\":1,"
                + "\"retryFiles\":[\"docs/a.md\"]}");
        ReviewApiTest.await(() -> "DONE".equals(asAdmin().get("/api/jobs/" + job1).path("status")));

        // the next push changes only docs/b.md, yet docs/a.md is planned again rather than carried over
        String head2 = origin.work.write("docs/b.md", "# B\n\nline one\nline two\n").commit("b grows");
        origin.push("refs/heads/feature", "refs/pull/9/head");
        String job2 = deliverGithub("pull_request", UUID.randomUUID().toString(),
                githubPullRequest("synchronize", name, 9, base, head2)).then().statusCode(202).extract().path("jobId");
        assertThat(awaitPlanned(job2)).isEqualTo("ANALYZING");
        JobPlan plan2 = plan(job2);
        assertThat(awaitFiles(job2, plan2)).containsOnlyKeys("docs/a.md", "docs/b.md");
        assertThat(plan2.previousHead()).isEqualTo(head1);
        assertThat(plan2.carriedOver()).isEmpty();
        assertThat(plan2.notes()).anySatisfy(note -> assertThat(note)
                .isEqualTo("1 file the last review could not analyse is analysed again: docs/a.md."));

        // this time its analysis succeeded: a later push that leaves it alone carries it over again
        events.send("{\"jobId\":\"" + job2 + "\",\"status\":\"DONE\",\"unitsDone\":1,\"unitsTotal\":1}");
        ReviewApiTest.await(() -> "DONE".equals(asAdmin().get("/api/jobs/" + job2).path("status")));
        String head3 = origin.work.write("docs/b.md", "# B\n\nline one\nline two\nline three\n").commit("b again");
        origin.push("refs/heads/feature", "refs/pull/9/head");
        String job3 = deliverGithub("pull_request", UUID.randomUUID().toString(),
                githubPullRequest("synchronize", name, 9, base, head3)).then().statusCode(202).extract().path("jobId");
        assertThat(awaitPlanned(job3)).isEqualTo("ANALYZING");
        JobPlan plan3 = plan(job3);
        assertThat(awaitFiles(job3, plan3)).containsOnlyKeys("docs/b.md");
        assertThat(plan3.carriedOver()).containsExactly("docs/a.md");
    }

    @Test
    void changesUnderSomeoneElsesExclusiveReservationAreFlaggedButTheAuthorsOwnAreNot() throws Exception {
        TestOrigin origin = TestOrigin.create();
        String base = origin.work.write("README.md", "# Docs\n").commit("base");
        origin.push("refs/heads/main", "refs/heads/main");
        String head = origin.work.branch("feature")
                .write("docs/mine.md", "# Mine\n")
                .write("docs/theirs.md", "# Theirs\n")
                .commit("two pages");
        origin.push("refs/heads/feature", "refs/pull/3/head");
        String name = Platforms.uniqueName("acme/docs");
        Platforms.register("github", name, origin.url(), "https://api.github.com");
        reservations.reserve(name, new ReserveRequest("octocat", List.of("docs/mine.md"), true, null, "my page", false))
                .await().atMost(Duration.ofSeconds(10));
        reservations.reserve(name, new ReserveRequest("carol", List.of("docs/theirs.md"), true, null, "rewrite", false))
                .await().atMost(Duration.ofSeconds(10));

        // the webhook names the pull request's author, octocat
        String jobId = deliverGithub("pull_request", UUID.randomUUID().toString(), githubPullRequest("opened", name, 3, base, head))
                .then().statusCode(202).extract().path("jobId");
        assertThat(awaitPlanned(jobId)).isEqualTo("ANALYZING");

        assertThat(plan(jobId).findings()).singleElement().satisfies(finding -> {
            assertThat(finding.rule()).isEqualTo("reservation.conflict");
            assertThat(finding.path()).isEqualTo("docs/theirs.md");
            assertThat(finding.severity()).isEqualTo(Severity.WARNING);
            assertThat(finding.message()).contains("carol").contains("rewrite");
        });
    }

    @Test
    void theBaseBranchConfigurationAppliesAndThePullRequestsOwnChangeToItDoesNot() throws Exception {
        TestOrigin origin = TestOrigin.create();
        String base = origin.work.write(".drep.yaml", """
                        ignore: ["generated/"]
                        instructions:
                          - path: "docs/**"
                            text: "Docs use British spelling."
                        minimum-severity: warning
                        max-inline-comments: 5
                        max-llm-tokens: 40000
                        verify: drop
                        """)
                .write("README.md", "# Docs\n").commit("configured");
        origin.push("refs/heads/main", "refs/heads/main");
        String head = origin.work.branch("feature")
                .write(".drep.yaml", "ignore: [\"**\"]\nmax-inline-comments: 0\nanalyzers: []\n")
                .write("generated/api.md", "# API\n")
                .write("docs/guide.md", "# Guide\n")
                .write("notes.md", "# Notes\n")
                .commit("try to switch the review off");
        origin.push("refs/heads/feature", "refs/pull/3/head");
        String name = Platforms.uniqueName("acme/configured");
        Platforms.register("gitea", name, origin.url(), "https://gitea.example/api/v1");

        String jobId = deliverGitea("pull_request", UUID.randomUUID().toString(), githubPullRequest("opened", name, 3, base, head))
                .then().statusCode(202).extract().path("jobId");
        assertThat(awaitPlanned(jobId)).isEqualTo("ANALYZING");
        JobPlan plan = plan(jobId);
        Map<String, FileToAnalyze> files = awaitFiles(jobId, plan);
        // the PR's own .drep.yaml is reviewed like any YAML file, but never applied
        assertThat(files).containsOnlyKeys("docs/guide.md", "notes.md", ".drep.yaml");
        assertThat(files.get("docs/guide.md").instructions()).isEqualTo("Docs use British spelling.");
        assertThat(files.get("notes.md").instructions()).isNull();
        assertThat(plan.notAnalyzed()).isEmpty();
        assertThat(plan.settings()).isEqualTo(new PublishSettings(Severity.WARNING, 5, Severity.ERROR));
        assertThat(plan.notes()).isEmpty();
        // every unit of the job carries the repository's token ceiling to the analyzers
        assertThat(units(jobId)).isNotEmpty().allSatisfy(u -> assertThat(u.llmTokenCeiling()).isEqualTo(40_000L))
                .allSatisfy(u -> assertThat(u.verify()).isEqualTo(VerifyMode.DROP));
        assertThat(plan.target().pullRequest().platform()).isEqualTo("gitea");
        assertThat(plan.target().pullRequest().apiUrl()).isEqualTo("https://gitea.example/api/v1");
    }

    @Test
    void anInvalidConfigurationGivesANoteAndTheDefaults() throws Exception {
        TestOrigin origin = TestOrigin.create();
        String base = origin.work.write(".drep.yaml", "minimum-severity: warning\nmax-inline-comments: lots\n")
                .write("README.md", "# Docs\n").commit("misconfigured");
        origin.push("refs/heads/main", "refs/heads/main");
        String head = origin.work.branch("feature")
                .write("a.md", "# A\n").write("node_modules/pkg/readme.md", "# vendored\n").commit("a");
        origin.push("refs/heads/feature", "refs/pull/4/head");
        String name = Platforms.uniqueName("acme/misconfigured");
        Platforms.register("github", name, origin.url(), "https://api.github.com");

        String jobId = deliverGithub("pull_request", UUID.randomUUID().toString(), githubPullRequest("opened", name, 4, base, head))
                .then().statusCode(202).extract().path("jobId");
        assertThat(awaitPlanned(jobId)).isEqualTo("ANALYZING");
        JobPlan plan = plan(jobId);
        assertThat(awaitFiles(jobId, plan)).containsOnlyKeys("a.md");
        assertThat(plan.settings()).isEqualTo(PublishSettings.DEFAULTS);
        assertThat(plan.notes()).singleElement().asString()
                .startsWith("`.drep.yaml` at " + base.substring(0, 7) + " is invalid, so drep ignored it and used the default settings")
                .contains("line 2").contains("'max-inline-comments' must be a whole number");
    }

    @Test
    void aGitlabMergeRequestIsComparedWithTheMergeBaseAndKeepsTheTargetTipAsStart() throws Exception {
        TestOrigin origin = TestOrigin.create();
        String forkPoint = origin.work.write("README.md", "# Docs\n").commit("base");
        String head = origin.work.branch("feature").write("guide.md", "# Guide\n").commit("guide");
        origin.work.checkout("main");
        String targetTip = origin.work.write("CHANGELOG.md", "# Changes\n").commit("main moves on");
        origin.push("refs/heads/main", "refs/heads/main").push("refs/heads/feature", "refs/merge-requests/12/head");
        String name = Platforms.uniqueName("group/sub/project");
        Platforms.register("gitlab", name, origin.url(), "https://gitlab.example/api/v4");

        String jobId = deliverGitlab("Merge Request Hook", UUID.randomUUID().toString(),
                gitlabMergeRequest("open", name, 12, head, null)).then().statusCode(202).extract().path("jobId");
        assertThat(awaitPlanned(jobId)).isEqualTo("ANALYZING");
        JobPlan plan = plan(jobId);
        assertThat(awaitFiles(jobId, plan)).containsOnlyKeys("guide.md");
        assertThat(plan.target().pullRequest()).isEqualTo(new PullRequestRef("gitlab", "https://gitlab.example/api/v4", name, null,
                12, forkPoint, targetTip, head, "test-token"));
    }

    @Test
    void aRenamedFileIsAnalysedUnderItsNewNameAndThePlanNamesItsOldOne() throws Exception {
        TestOrigin origin = TestOrigin.create();
        String intro = "# Introduction\n\nThis guide explains how the documents are organised.\n"
                + "Each chapter has its own folder.\nImages live next to the text that uses them.\n"
                + "Links between chapters are relative.\n";
        String forkPoint = origin.work.write("README.md", "# Docs\n").write("docs/intro.md", intro).commit("base");
        String head = origin.work.branch("feature").delete("docs/intro.md")
                .write("docs/guide.md", intro + "Build the site with the make target.\n")
                .write("docs/new.md", "# New\n")
                .commit("intro becomes the guide");
        origin.push("refs/heads/main", "refs/heads/main").push("refs/heads/feature", "refs/merge-requests/14/head");
        String name = Platforms.uniqueName("group/renames");
        Platforms.register("gitlab", name, origin.url(), "https://gitlab.example/api/v4");

        String jobId = deliverGitlab("Merge Request Hook", UUID.randomUUID().toString(),
                gitlabMergeRequest("open", name, 14, head, null)).then().statusCode(202).extract().path("jobId");
        assertThat(awaitPlanned(jobId)).isEqualTo("ANALYZING");
        JobPlan plan = plan(jobId);
        // GitLab places a comment on the renamed file by both names
        assertThat(plan.renamed()).isEqualTo(Map.of("docs/guide.md", "docs/intro.md"));
        assertThat(plan.deleted()).isEmpty();
        assertThat(plan.analysed()).containsExactlyInAnyOrder("docs/guide.md", "docs/new.md");
        Map<String, FileToAnalyze> files = awaitFiles(jobId, plan);
        assertThat(files).containsOnlyKeys("docs/guide.md", "docs/new.md");
        assertThat(files.get("docs/guide.md").changedLines()).containsExactly(new LineRange(7, 7));
        assertThat(plan.base()).isEqualTo(forkPoint);
    }

    @Test
    void pushesToTheDefaultBranchScanWholeFilesChangedSinceTheLastScan() throws Exception {
        TestOrigin origin = TestOrigin.create();
        String first = origin.work.write("README.md", "# Docs\n\nIntro.\n")
                .write("docs/x.md", "# X\n")
                .writeBytes("logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13})
                .commit("first");
        origin.push("refs/heads/main", "refs/heads/main");
        String name = Platforms.uniqueName("group/scanned");
        String repositoryId = Platforms.register("gitlab", name, origin.url(), "https://gitlab.example/api/v4");

        String job1 = deliverGitlab("Push Hook", UUID.randomUUID().toString(),
                Platforms.gitlabPush(name, "refs/heads/main", "0".repeat(40), first))
                .then().statusCode(202).extract().path("jobId");
        assertThat(awaitPlanned(job1)).isEqualTo("ANALYZING");
        JobPlan plan1 = plan(job1);
        Map<String, FileToAnalyze> files1 = awaitFiles(job1, plan1);
        assertThat(files1).containsOnlyKeys("README.md", "docs/x.md");
        assertThat(files1.get("README.md").changedLines()).containsExactly(new LineRange(1, 3));
        assertThat(plan1.notAnalyzed()).containsExactly(new NotAnalyzed("logo.png", "binary file"));
        // the publisher closes the issues of findings gone from the files a scan analysed
        assertThat(plan1.analysed()).containsExactlyInAnyOrder("README.md", "docs/x.md");
        assertThat(plan1.target().kind()).isEqualTo(ReviewTarget.ISSUES);
        assertThat(plan1.target().pullRequest().number()).isZero();
        assertThat(plan1.target().pullRequest().headSha()).isEqualTo(first);
        assertThat(plan1.base()).isNull();
        assertThat(units(job1)).allSatisfy(u -> assertThat(u.priority()).isEqualTo(WorkUnit.BATCH));

        events.send("{\"jobId\":\"" + job1 + "\",\"status\":\"DONE\",\"unitsDone\":1,\"unitsTotal\":1}");
        ReviewApiTest.await(() -> first.equals(asAdmin().get("/api/repositories/" + repositoryId).path("lastScannedCommit")));

        String second = origin.work.write("docs/x.md", "# X\n\nMore.\n").write("docs/y.md", "# Y\n").commit("second");
        origin.push("refs/heads/main", "refs/heads/main");
        String job2 = deliverGitlab("Push Hook", UUID.randomUUID().toString(),
                Platforms.gitlabPush(name, "refs/heads/main", first, second)).then().statusCode(202).extract().path("jobId");
        assertThat(awaitPlanned(job2)).isEqualTo("ANALYZING");
        JobPlan plan2 = plan(job2);
        Map<String, FileToAnalyze> files2 = awaitFiles(job2, plan2);
        assertThat(files2).containsOnlyKeys("docs/x.md", "docs/y.md");
        assertThat(files2.get("docs/x.md").changedLines()).containsExactly(new LineRange(1, 3));
        assertThat(plan2.base()).isEqualTo(first);
        assertThat(plan2.analysed()).containsExactlyInAnyOrder("docs/x.md", "docs/y.md");

        // an API scan reads the branch tip; full scans read everything again
        String job3 = asAdmin().contentType("application/json").body(Map.of("repositoryId", repositoryId, "full", true))
                .post("/api/scans").then().statusCode(202).body("status", equalTo("QUEUED")).extract().path("id");
        assertThat(awaitPlanned(job3)).isEqualTo("ANALYZING");
        JobPlan plan3 = plan(job3);
        assertThat(plan3.head()).isEqualTo(second);
        assertThat(awaitFiles(job3, plan3)).containsOnlyKeys("README.md", "docs/x.md", "docs/y.md");
        assertThat(plan3.analysed()).containsExactlyInAnyOrder("README.md", "docs/x.md", "docs/y.md");
    }
}
