package dev.drep.scanner;

import static dev.drep.scanner.Platforms.awaitFiles;
import static dev.drep.scanner.Platforms.awaitPlanned;
import static dev.drep.scanner.Platforms.deliverGithub;
import static dev.drep.scanner.Platforms.githubPullRequest;
import static dev.drep.scanner.Platforms.plan;
import static dev.drep.scanner.Platforms.units;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.DescribeMode;
import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.WorkUnit;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The walkthrough's unit in pull request plans: the whole pull request's diff, or none with {@code describe: off}. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class DescribePlanningTest {
    @Inject
    JobEventSender events;

    @Test
    void everyPushAsksForTheWalkthroughOfTheWholePullRequestNotOnlyOfWhatItAnalyses() throws Exception {
        TestOrigin origin = TestOrigin.create();
        String base = origin.work.write("README.md", "# Docs\n").commit("base");
        origin.push("refs/heads/main", "refs/heads/main");
        String head1 = origin.work.branch("feature").write("docs/a.md", "# A\n\nfirst\n").commit("a");
        origin.push("refs/heads/feature", "refs/pull/3/head");
        String name = Platforms.uniqueName("acme/walk");
        Platforms.register("github", name, origin.url(), "https://api.github.com");

        String job1 = deliverGithub("pull_request", UUID.randomUUID().toString(), githubPullRequest("opened", name, 3, base, head1))
                .then().statusCode(202).extract().path("jobId");
        awaitPlanned(job1);
        JobPlan plan1 = plan(job1);
        awaitFiles(job1, plan1);
        assertThat(plan1.settings().describe()).isEqualTo(DescribeMode.SUMMARY);
        WorkUnit describe1 = describeUnit(job1).orElseThrow();
        assertThat(describe1.files()).extracting(FileToAnalyze::path).containsExactly("docs/a.md");
        assertThat(plan1.analysed()).containsExactly("docs/a.md");
        events.send("{\"jobId\":\"" + job1 + "\",\"status\":\"DONE\",\"unitsDone\":2,\"unitsTotal\":2}");
        ReviewApiTest.await(() -> "DONE".equals(asAdmin().get("/api/jobs/" + job1).path("status")));

        String head2 = origin.work.write("docs/b.md", "# B\n").commit("b");
        origin.push("refs/heads/feature", "refs/pull/3/head");
        String job2 = deliverGithub("pull_request", UUID.randomUUID().toString(),
                githubPullRequest("synchronize", name, 3, base, head2)).then().statusCode(202).extract().path("jobId");
        awaitPlanned(job2);
        JobPlan plan2 = plan(job2);
        awaitFiles(job2, plan2);

        // the review analyses only docs/b.md; the walkthrough describes both files
        assertThat(plan2.analysed()).containsExactly("docs/b.md");
        WorkUnit describe2 = describeUnit(job2).orElseThrow();
        assertThat(describe2.files()).extracting(FileToAnalyze::path).containsExactly("docs/a.md", "docs/b.md");
        assertThat(describe2.files().get(1).content()).contains("+# B");
        assertThat(plan2.unitIds()).contains(describe2.unitId());
    }

    @Test
    void describeOffInTheBaseConfigurationPlansNoWalkthrough() throws Exception {
        TestOrigin origin = TestOrigin.create();
        String base = origin.work.write(".drep.yaml", "describe: off\n").write("README.md", "# Docs\n").commit("base");
        origin.push("refs/heads/main", "refs/heads/main");
        String head = origin.work.branch("feature").write("docs/a.md", "# A\n").commit("a");
        origin.push("refs/heads/feature", "refs/pull/4/head");
        String name = Platforms.uniqueName("acme/quiet");
        Platforms.register("github", name, origin.url(), "https://api.github.com");

        String job = deliverGithub("pull_request", UUID.randomUUID().toString(), githubPullRequest("opened", name, 4, base, head))
                .then().statusCode(202).extract().path("jobId");
        awaitPlanned(job);
        JobPlan plan = plan(job);
        awaitFiles(job, plan);

        assertThat(plan.settings().describe()).isEqualTo(DescribeMode.OFF);
        assertThat(describeUnit(job)).isEmpty();
        assertThat(units(job)).hasSize(plan.unitIds().size());
    }

    private static Optional<WorkUnit> describeUnit(String jobId) {
        List<WorkUnit> units = units(jobId);
        return units.stream().filter(u -> u.analyzer().equals("describe")).findFirst();
    }
}
