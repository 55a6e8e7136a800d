package dev.drep.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.analyzer.unit.WorkUnitConsumer;
import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.WorkUnit;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.infra.SharedInfrastructure;
import dev.drep.testsupport.metrics.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
class WorkUnitConsumerTest {
    /** Health and metrics are on the management interface, a port of its own. */
    @TestHTTPResource(value = "metrics", management = true)
    URL metricsEndpoint;

    @Inject
    TestChannels channels;

    @Test
    void findingsAreKeptOnChangedLinesOnly() throws Exception {
        String content = "# Title\n\nold line with trailing space \nnew line with trailing space \n#NoSpace\n";
        WorkUnit unit = unit("markdown", new FileToAnalyze("README.md", "abc", content,
                List.of(new LineRange(4, 5))));

        channels.send(unit);

        UnitResult result = awaitResult(unit.unitId());
        assertThat(result.findings()).extracting(Finding::rule, Finding::line).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("md.trailing-whitespace", 4),
                org.assertj.core.groups.Tuple.tuple("md.heading-space", 5));
        assertThat(result.findings()).allSatisfy(f -> assertThat(f.path()).isEqualTo("README.md"));
        // each finding carries its line's text: the publisher recognises it by that on the next push
        assertThat(result.findings()).extracting(Finding::line, Finding::lineText).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(4, "new line with trailing space "),
                org.assertj.core.groups.Tuple.tuple(5, "#NoSpace"));
        assertThat(result.notAnalyzed()).isEmpty();
    }

    @Test
    void markdownThatRendersAsMeantGetsNoFindingAndABrokenLinkGetsAWarning() throws Exception {
        // What the line-scanning checks cried wolf on (issue 16): escaped brackets, link text wrapped over two
        // lines, URLs in HTML comments, HTML blocks and inline code. Only the link without its ")" is a finding.
        String content = """
                # Notes

                Escaped \\[brackets\\] and a [link whose text
                wraps](https://example.com/wrapped) here.
                <!-- TODO https://example.com/hidden -->

                <div>
                https://example.com/in-a-div
                </div>

                Run `curl https://example.com/in-code` and read [the guide](docs/guide.md for more.
                """;
        WorkUnit unit = unit("markdown", new FileToAnalyze("notes.md", "abc", content, List.of(new LineRange(1, 12))));

        channels.send(unit);

        UnitResult result = awaitResult(unit.unitId());
        assertThat(result.findings()).extracting(Finding::rule, Finding::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple("md.unbalanced-brackets", 11));
    }

    @Test
    void aRedeliveredUnitProducesNoSecondResult() throws Exception {
        WorkUnit unit = unit("markdown", new FileToAnalyze("a.md", "abc", "text \n", List.of(new LineRange(1, 1))));
        channels.send(unit);
        awaitResult(unit.unitId());

        channels.send(unit);
        WorkUnit marker = unit("markdown", new FileToAnalyze("b.md", "def", "fine\n", List.of(new LineRange(1, 1))));
        channels.send(marker);
        awaitResult(marker.unitId());
        Thread.sleep(300);

        assertThat(TestChannels.RESULTS.stream().filter(r -> r.unitId().equals(unit.unitId()))).hasSize(1);
    }

    @Test
    void malformedUnitsAreAcknowledgedNotRedeliveredForever() throws Exception {
        channels.send("{not json");
        channels.send("{\"analyzer\":\"markdown\"}");
        WorkUnit after = unit("markdown", new FileToAnalyze("c.md", "abc", "ok\n", List.of(new LineRange(1, 1))));
        channels.send(after);

        awaitResult(after.unitId());
        await(() -> SharedInfrastructure.broker().messageCount("drep.analysis.requests") == 0);
        assertThat(SharedInfrastructure.broker().messageCount("DLQ.drep.analysis.requests")).isZero();
    }

    @Test
    void unknownAnalyzersAndMissingContentAreReportedAsNotAnalyzed() throws Exception {
        WorkUnit unit = unit("cobol", new FileToAnalyze("x.cbl", "abc", "X\n", List.of(new LineRange(1, 1))));
        channels.send(unit);
        WorkUnit empty = unit("markdown", new FileToAnalyze("y.md", "abc", null, List.of(new LineRange(1, 1))));
        channels.send(empty);

        assertThat(awaitResult(unit.unitId()).notAnalyzed())
                .containsExactly(new NotAnalyzed("x.cbl", "unknown analyzer 'cobol'"));
        assertThat(awaitResult(empty.unitId()).notAnalyzed()).extracting(NotAnalyzed::path).containsExactly("y.md");
    }

    @Test
    void aUnitThatFailsOnEveryDeliveryIsDeadLetteredAndItsFilesAreNamedNotAnalysedWithTheReason() throws Exception {
        String metric = "drep_analyzer_dead_letters_total{queue=\"drep.analysis.requests\",service=\"analyzer\"}";
        double before = PrometheusText.value(metrics(), metric);
        // a job id longer than the processed-unit record takes: recording the unit fails on every delivery, so the
        // broker redelivers it until it gives up and dead-letters it
        WorkUnit unit = new WorkUnit(UUID.randomUUID().toString(), "job-" + "x".repeat(80), "repo", "markdown",
                List.of(new FileToAnalyze("a.md", "abc", "text\n", List.of(new LineRange(1, 1))),
                        new FileToAnalyze("b.md", "def", "more\n", List.of(new LineRange(1, 1)))));

        channels.send(unit);

        await(() -> TestChannels.RESULTS.stream().anyMatch(r -> r.unitId().equals(unit.unitId()) && !r.notAnalyzed().isEmpty()));
        UnitResult dead = TestChannels.RESULTS.stream().filter(r -> r.unitId().equals(unit.unitId()) && !r.notAnalyzed().isEmpty())
                .findFirst().orElseThrow();
        assertThat(dead.notAnalyzed()).containsExactlyInAnyOrder(
                new NotAnalyzed("a.md", WorkUnitConsumer.DEAD_LETTER_REASON),
                new NotAnalyzed("b.md", WorkUnitConsumer.DEAD_LETTER_REASON));
        assertThat(dead.findings()).isEmpty();
        assertThat(PrometheusText.value(metrics(), metric) - before).isEqualTo(1);
    }

    private String metrics() {
        return RestAssured.get(metricsEndpoint).then().statusCode(200).extract().asString();
    }

    private static WorkUnit unit(String analyzer, FileToAnalyze file) {
        return new WorkUnit(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "repo", analyzer, List.of(file));
    }

    private static UnitResult awaitResult(String unitId) throws InterruptedException {
        await(() -> TestChannels.RESULTS.stream().anyMatch(r -> r.unitId().equals(unitId)));
        return TestChannels.RESULTS.stream().filter(r -> r.unitId().equals(unitId)).findFirst().orElseThrow();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(50);
        }
    }
}
