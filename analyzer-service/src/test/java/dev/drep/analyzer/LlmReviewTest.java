package dev.drep.analyzer;

import static dev.drep.analyzer.Units.file;
import static dev.drep.analyzer.Units.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Severity;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.VerifyMode;
import dev.drep.contracts.WorkUnit;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmFault;
import dev.drep.testsupport.llm.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The llm-review analyzer through the broker, against the fake model standing in for the gateway. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(FakeGatewayResource.class)
class LlmReviewTest extends LlmAnalyzerTestBase {


    @BeforeEach
    void answerWithABugOnTheFirstChangedLine() {
        llm.answer(Units::bugOnFirstChangedLine);
    }

    @Test
    void aBatchOfFilesIsOneCallWithFindingsOnTheRightFileAndLine() throws Exception {
        WorkUnit unit = unit("llm-review", "batch", file("src/cart.py", 40, 7), file("src/order.py", 60, 33),
                file("src/pay.py", 20, 1), file("src/ship.py", 30, 30), file("lib/util.py", 12, 5));
        UnitResult result = review(unit);

        assertThat(llm.chatRequests()).hasSize(1);
        RecordedRequest request = llm.lastChatRequest();
        assertThat(Units.paths(request)).containsExactlyInAnyOrder("src/cart.py", "src/order.py", "src/pay.py",
                "src/ship.py", "lib/util.py");
        assertThat(request.header("X-Drep-Task-Class")).contains("complex");
        assertThat(request.header("X-Drep-Priority")).contains("batch");
        assertThat(request.header("X-Drep-Job")).contains(unit.jobId());
        assertThat(request.header("X-Drep-Repository")).contains("acme/shop");
        assertThat(request.model()).isEqualTo("default");
        assertThat(request.json().path("temperature").asInt()).isZero();

        assertThat(result.analyzer()).isEqualTo("llm-review");
        assertThat(result.findings()).extracting(Finding::path, Finding::line, Finding::rule, Finding::severity)
                .containsExactlyInAnyOrder(tuple("src/cart.py", 7, "llm.bug", Severity.ERROR),
                        tuple("src/order.py", 33, "llm.bug", Severity.ERROR),
                        tuple("src/pay.py", 1, "llm.bug", Severity.ERROR),
                        tuple("src/ship.py", 30, "llm.bug", Severity.ERROR),
                        tuple("lib/util.py", 5, "llm.bug", Severity.ERROR));
        assertThat(result.findings()).allSatisfy(f -> assertThat(f.message()).endsWith(f.path()));
        assertThat(result.notAnalyzed()).isEmpty();
        assertThat(result.usage().llmCalls()).isEqualTo(1);
        assertThat(result.usage().cacheHits()).isZero();
        assertThat(result.usage().promptTokens()).isPositive();
        assertThat(result.usage().completionTokens()).isPositive();
    }

    @Test
    void aSecondReviewOfTheSameContentMakesNoProviderCall() throws Exception {
        FileToAnalyze a = file("src/a.py", 30, 4);
        FileToAnalyze b = file("src/b.py", 30, 9);
        UnitResult first = review(unit("llm-review", "interactive", a, b));
        assertThat(llm.chatRequests()).hasSize(1);

        // a new push (another job) with the same blobs
        UnitResult second = review(unit("llm-review", "interactive", a, b));
        assertThat(llm.chatRequests()).hasSize(1);
        assertThat(second.findings()).isEqualTo(first.findings());
        assertThat(second.usage().cacheHits()).isEqualTo(2);
        assertThat(second.usage().promptTokens()).isZero();
    }

    @Test
    void aUnitOfAFreshReviewIsAnalysedAgainAndAsksTheGatewayToBypassItsCache() throws Exception {
        FileToAnalyze a = file("src/a.py", 30, 4);
        review(unit("llm-review", "interactive", a));
        assertThat(llm.chatRequests()).hasSize(1);
        assertThat(llm.lastChatRequest().header("X-Drep-Cache")).isEmpty();

        // /drep review: the same blob again, in a job that asked for a review without cached analyses
        UnitResult fresh = review(unit("llm-review", "interactive", a).withFreshAnalysis());

        assertThat(llm.chatRequests()).hasSize(2);
        assertThat(llm.lastChatRequest().header("X-Drep-Cache")).contains("bypass");
        assertThat(fresh.usage().cacheHits()).isZero();
    }

    @Test
    void aBudgetRefusalIsNamedForEveryFileAndNotRetried() throws Exception {
        llm.failNext(new FakeLlmFault.Status(429, "application/json",
                "{\"error\":{\"message\":\"daily token budget of acme/shop is exhausted\",\"type\":\"insufficient_quota\","
                        + "\"param\":null,\"code\":\"budget_exhausted\"}}", Map.of()));
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 10, 2), file("src/b.py", 10, 3)));

        assertThat(llm.chatRequests()).hasSize(1);
        assertThat(result.findings()).isEmpty();
        assertThat(result.notAnalyzed()).containsExactlyInAnyOrder(
                new NotAnalyzed("src/a.py", "not analyzed: LLM budget exhausted (429 budget_exhausted: daily token budget of acme/shop is exhausted)"),
                new NotAnalyzed("src/b.py", "not analyzed: LLM budget exhausted (429 budget_exhausted: daily token budget of acme/shop is exhausted)"));
    }

    @Test
    void aProviderRateLimitAfterTheGatewaysRetriesIsWaitedOut() throws Exception {
        llm.failNext(FakeLlmFault.rateLimited(Duration.ofSeconds(30)));
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 10, 2)));
        assertThat(llm.chatRequests()).hasSize(2);
        assertThat(result.findings()).extracting(Finding::line).containsExactly(2);
        assertThat(result.notAnalyzed()).isEmpty();
    }

    @Test
    void aRejectedRequestIsNamedAtOnceWithoutWaiting() throws Exception {
        llm.failAlways(FakeLlmFault.status(400));
        long start = System.nanoTime();
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 10, 2)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(llm.chatRequests()).hasSize(1);
        assertThat(result.notAnalyzed()).extracting(NotAnalyzed::reason).singleElement().asString()
                .startsWith("not analyzed: the LLM gateway rejected the request (400");
    }

    @Test
    void anUnparsableAnswerIsRetriedOnceWithAStricterInstruction() throws Exception {
        llm.answer("I reviewed the files and they look fine overall.");
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 10, 2)));

        List<RecordedRequest> requests = llm.chatRequests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).messages().get(0).content()).doesNotContain("previous answer could not be used");
        assertThat(requests.get(1).messages().get(0).content()).contains("previous answer could not be used");
        assertThat(result.notAnalyzed()).containsExactly(new NotAnalyzed("src/a.py",
                "not analyzed: could not parse the model's answer: the answer contains no JSON"));
        assertThat(result.usage().llmCalls()).isEqualTo(2);
    }

    @Test
    void aGatewayServiceUnavailableIsRetriedBriefly() throws Exception {
        llm.failNext(FakeLlmFault.status(503));
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 10, 2)));
        assertThat(llm.chatRequests()).hasSize(2);
        assertThat(result.findings()).extracting(Finding::line).containsExactly(2);
        assertThat(result.notAnalyzed()).isEmpty();
    }

    @Test
    void anAnswerThatIsNotACompletionIsWaitedOnAndThenNamed() throws Exception {
        llm.failAlways(FakeLlmFault.nonJson());
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 10, 2)));
        assertThat(llm.chatRequests()).hasSizeGreaterThan(3);
        assertThat(result.notAnalyzed()).extracting(NotAnalyzed::reason).containsExactly(
                "not analyzed: the LLM gateway did not recover within 12s (the LLM gateway answered HTTP 200 with "
                        + "something that is not a chat completion)");
    }

    @Test
    void aHangingGatewayTimesOutInsteadOfHangingTheUnit() throws Exception {
        llm.failAlways(FakeLlmFault.hang(Duration.ofSeconds(20)));
        long start = System.nanoTime();
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 10, 2)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(result.notAnalyzed()).extracting(NotAnalyzed::reason)
                .containsExactly("not analyzed: the LLM gateway did not recover within 12s (the LLM gateway did not "
                        + "answer in time)");
    }

    /**
     * A gateway restart (the chart's single replica, {@code Recreate}): it answers 503 for a few seconds, long enough
     * for the circuit breaker to open. Every unit waits for it instead of naming its files not analysed, and the
     * units are done within seconds of its return: the breaker's default delay (2 s) and the longest back-off (5 s)
     * bound what a restart costs beyond itself (a 20 s breaker delay cost the e2e review of a killed gateway 33 s).
     */
    @Test
    void aGatewayThatIsUnavailableForAFewSecondsCostsNoFileAndLittleTimeAfterItsReturn() throws Exception {
        llm.failAlways(FakeLlmFault.status(503));
        AtomicLong back = new AtomicLong();
        CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS).execute(() -> {
            llm.stopFailing();
            back.set(System.nanoTime());
        });
        List<WorkUnit> units = new ArrayList<>();
        for (int u = 0; u < 10; u++) {
            FileToAnalyze[] files = new FileToAnalyze[8];
            for (int f = 0; f < files.length; f++) {
                files[f] = file("src/m" + u + "/f" + f + ".py", 10, 1 + f);
            }
            units.add(unit("llm-review", "interactive", files));
        }
        for (WorkUnit unit : units) {
            channels.send(unit);
        }

        List<UnitResult> results = new ArrayList<>();
        for (WorkUnit unit : units) {
            results.add(Units.awaitResult(unit.unitId()));
        }
        Duration afterReturn = Duration.ofNanos(System.nanoTime() - back.get());

        assertThat(results).flatExtracting(UnitResult::notAnalyzed).isEmpty();
        assertThat(afterReturn).as("the last unit's result after the gateway came back").isLessThan(Duration.ofSeconds(10));
        assertThat(results).flatExtracting(UnitResult::findings).hasSize(80);
        assertThat(llm.chatRequests().size()).as("some calls met the 503s").isGreaterThan(10);
    }

    @Test
    void aGatewayThatStaysAwayLongerThanThePatienceNamesTheFilesWithTheReason() throws Exception {
        llm.failAlways(FakeLlmFault.status(503));
        UnitResult result = review(unit("llm-review", "interactive", file("src/a.py", 10, 2), file("src/b.py", 10, 3)));

        assertThat(result.findings()).isEmpty();
        assertThat(result.notAnalyzed()).extracting(NotAnalyzed::path).containsExactlyInAnyOrder("src/a.py", "src/b.py");
        assertThat(result.notAnalyzed()).extracting(NotAnalyzed::reason).allSatisfy(reason -> assertThat(reason)
                .startsWith("not analyzed: the LLM gateway did not recover within 12s (")
                .contains("503"));
    }

    @Test
    void aRepositorysLowTokenCeilingReviewsByPriorityAndNamesTheFilesNotReviewed() throws Exception {
        // about 7,200 prompt tokens per file (every line changed): one file per request; .drep.yaml's
        // max-llm-tokens of 10,000 admits the first request only, below the service's 500,000
        FileToAnalyze notes = wholeFile("docs/notes.txt", 900);
        FileToAnalyze test = wholeFile("tests/test_cart.py", 900);
        FileToAnalyze source = wholeFile("src/cart.py", 900);
        WorkUnit unit = new WorkUnit(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "acme/shop",
                "llm-review", List.of(notes, test, source), "interactive", 10_000L, VerifyMode.OFF);
        UnitResult result = review(unit);

        assertThat(llm.chatRequests()).hasSize(1);
        assertThat(Units.paths(llm.lastChatRequest())).containsExactly("src/cart.py");
        assertThat(result.findings()).extracting(Finding::path).containsExactly("src/cart.py");
        assertThat(result.notAnalyzed()).extracting(NotAnalyzed::path)
                .containsExactlyInAnyOrder("tests/test_cart.py", "docs/notes.txt");
        assertThat(result.notAnalyzed()).extracting(NotAnalyzed::reason).allMatch(reason -> reason.startsWith(
                "not analyzed: the repository's LLM token ceiling of 10000 tokens per review (max-llm-tokens in "
                        + ".drep.yaml) is reached (files are reviewed by priority: source files first"));
    }

    private static FileToAnalyze wholeFile(String path, int lines) {
        FileToAnalyze file = file(path, lines, 1);
        return new FileToAnalyze(file.path(), file.blobSha(), file.content(), List.of(new LineRange(1, lines)));
    }

    @Test
    void filesOverTheSizeLimitAreNamedAndTheRestIsReviewed() throws Exception {
        FileToAnalyze huge = file("gen/huge.py", 20_000, 5);
        UnitResult result = review(unit("llm-review", "interactive", huge, file("src/a.py", 10, 2)));
        assertThat(result.notAnalyzed()).extracting(NotAnalyzed::path).containsExactly("gen/huge.py");
        assertThat(result.notAnalyzed().get(0).reason()).contains("over the LLM review limit of 400000");
        assertThat(result.findings()).extracting(Finding::path).containsExactly("src/a.py");
        assertThat(Units.paths(llm.lastChatRequest())).containsExactly("src/a.py");
    }
}
