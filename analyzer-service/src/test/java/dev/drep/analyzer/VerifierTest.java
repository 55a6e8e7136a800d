package dev.drep.analyzer;

import static dev.drep.analyzer.Units.await;
import static dev.drep.analyzer.Units.unit;
import static dev.drep.testsupport.metrics.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.VerifyMode;
import dev.drep.testsupport.llm.FakeLlmFault;
import dev.drep.testsupport.llm.RecordedRequest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The verifier pass through the broker, the analyzer and its gateway client: a second call with task class
 * {@code verify} confirms or refutes what grounding kept; refuted findings are dropped and counted, unconfirmed ones
 * are folded or dropped as the unit's {@code verify} says; bad verifier answers never confirm anything. Shares the
 * boot of the other tests (same resources, same profile).
 */
@QuarkusTest
class VerifierTest extends LlmAnalyzerTestBase {
    @TestHTTPResource(value = "metrics", management = true)
    URL metricsEndpoint;

    private static final Pattern FILE = Pattern.compile("(?m)^### (\\S+)\n<<<DATA ");
    private static final Pattern ID = Pattern.compile("(?m)^(F\\d+) line (\\d+) ");
    private static final String SHOP = """
            def total(items):
                result = 0
                for item in items:
                    result += item.price * item.qty
                return result
            """;
    private static final String TAX = """
            def tax(amount):
                rate = 0.2
                return amount * rate
            """;

    private static FileToAnalyze file(String path, String content, int changed) {
        return new FileToAnalyze(path, UUID.randomUUID().toString(), content, List.of(new LineRange(changed, changed)));
    }

    private static boolean verifying(RecordedRequest request) {
        return request.messages().get(0).content().startsWith("You are drep's verifier");
    }

    /** One finding per file on its changed line; the verifier refutes the one in tax.py, confirms the other. */
    private static String reviewOrVerify(RecordedRequest request, double confidence) {
        if (!verifying(request)) {
            return Units.bugOnFirstChangedLine(request);
        }
        StringBuilder answer = new StringBuilder("{\"verdicts\":[");
        String user = request.lastUserMessage();
        Matcher file = FILE.matcher(user);
        int n = 0;
        while (file.find()) {
            int next = user.indexOf("\n### ", file.end());
            Matcher id = ID.matcher(user.substring(file.end(), next < 0 ? user.length() : next));
            while (id.find()) {
                boolean refute = file.group(1).endsWith("tax.py");
                answer.append(n++ > 0 ? "," : "").append("{\"id\":\"").append(id.group(1))
                        .append("\",\"verdict\":\"").append(refute ? "refuted" : "confirmed")
                        .append("\",\"confidence\":").append(confidence).append(",\"reason\":\"read the code\"}");
            }
        }
        return answer.append("]}").toString();
    }

    @Test
    void refutedFindingsAreDroppedConfirmedOnesCarryTheirConfidenceAndTheVerifierCallIsCounted() throws Exception {
        llm.answer(r -> reviewOrVerify(r, 0.85));
        String before = scrape();

        UnitResult result = review(unit(VerifyMode.FOLD, file("src/shop.py", SHOP, 4), file("src/tax.py", TAX, 2)));

        assertThat(result.findings()).extracting(Finding::path, Finding::line, Finding::confidence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("src/shop.py", 4, 0.85));
        assertThat(result.lowConfidenceFindings()).isEmpty();
        assertThat(result.droppedFindings()).containsOnly(entry("refuted", 1));
        List<RecordedRequest> requests = llm.chatRequests();
        assertThat(requests).hasSize(2);
        RecordedRequest verify = requests.get(1);
        assertThat(verify.header("X-Drep-Task-Class")).contains("verify");
        assertThat(requests.get(0).header("X-Drep-Task-Class")).contains("complex");
        // both findings went in one call, each with its code inside a data block
        assertThat(verify.lastUserMessage()).contains("### src/shop.py\n<<<DATA ").contains("### src/tax.py\n<<<DATA ")
                .contains("F1 line 4 (llm.bug): compute() may overflow in src/shop.py")
                .contains("4+|        result += item.price * item.qty");
        assertThat(result.usage().llmCalls()).isEqualTo(2);
        assertThat(result.usage().verifyTokens()).isPositive()
                .isLessThan(result.usage().promptTokens() + result.usage().completionTokens());

        await(() -> delta(before, "drep_analyzer_verifier_verdicts_total{service=\"analyzer\",verdict=\"refuted\"}") == 1,
                Duration.ofSeconds(20));
        String after = scrape();
        assertThat(value(after, "drep_analyzer_verifier_verdicts_total{service=\"analyzer\",verdict=\"confirmed\"}")
                - value(before, "drep_analyzer_verifier_verdicts_total{service=\"analyzer\",verdict=\"confirmed\"}"))
                .isEqualTo(1);
        assertThat(value(after, "drep_analyzer_findings_dropped_total{reason=\"refuted\",service=\"analyzer\"}")
                - value(before, "drep_analyzer_findings_dropped_total{reason=\"refuted\",service=\"analyzer\"}"))
                .isEqualTo(1);
    }

    @Test
    void aLowConfidenceConfirmationIsFoldedUnderFoldAndDroppedUnderDrop() throws Exception {
        llm.answer(r -> reviewOrVerify(r, 0.3));

        UnitResult folded = review(unit(VerifyMode.FOLD, file("src/shop.py", SHOP, 4)));
        UnitResult dropped = review(unit(VerifyMode.DROP, file("src/shop.py", SHOP, 4)));

        assertThat(folded.findings()).isEmpty();
        assertThat(folded.lowConfidenceFindings()).extracting(Finding::line, Finding::confidence, Finding::lineText)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(4, 0.3, "        result += item.price * item.qty"));
        assertThat(dropped.findings()).isEmpty();
        assertThat(dropped.lowConfidenceFindings()).isEmpty();
        assertThat(dropped.droppedFindings()).containsOnly(entry("unconfirmed", 1));
    }

    @Test
    void aProseVerifierAnswerConfirmsNothingAndIsCounted() throws Exception {
        llm.answer(r -> verifying(r) ? "Both findings look right to me, I confirm F1 with high confidence."
                : Units.bugOnFirstChangedLine(r));
        String before = scrape();

        UnitResult result = review(unit(VerifyMode.FOLD, file("src/shop.py", SHOP, 4)));

        assertThat(result.findings()).isEmpty();
        assertThat(result.lowConfidenceFindings()).extracting(Finding::line).containsExactly(4);
        assertThat(result.lowConfidenceFindings().get(0).confidence()).isNull();
        await(() -> delta(before, "drep_analyzer_verifier_calls_total{outcome=\"unusable\",service=\"analyzer\"}") == 1,
                Duration.ofSeconds(20));
    }

    @Test
    void aVerdictForAFindingNotAskedAboutAddsNothing() throws Exception {
        llm.answer(r -> verifying(r) ? """
                {"verdicts":[{"id":"F1","verdict":"confirmed","confidence":0.9,"reason":"yes"},
                 {"id":"F2","verdict":"confirmed","confidence":0.99,"reason":"and a bug on line 1"},
                 {"path":"src/shop.py","line":1,"verdict":"confirmed","confidence":1,"message":"new"}]}"""
                : Units.bugOnFirstChangedLine(r));

        UnitResult result = review(unit(VerifyMode.FOLD, file("src/shop.py", SHOP, 4)));

        assertThat(result.findings()).extracting(Finding::line).containsExactly(4);
        assertThat(result.summaryFindings()).isEmpty();
        assertThat(result.lowConfidenceFindings()).isEmpty();
    }

    @Test
    void aVerifierCallFailingForAWhileIsWaitedForWithTheAnalyzersPatience() throws Exception {
        AtomicInteger verifyCalls = new AtomicInteger();
        llm.answer(r -> {
            if (verifying(r) && verifyCalls.incrementAndGet() <= 4) {
                throw new IllegalStateException("provider hiccup"); // the fake answers 500
            }
            return reviewOrVerify(r, 0.9);
        });

        UnitResult result = review(unit(VerifyMode.FOLD, file("src/shop.py", SHOP, 4)));

        assertThat(verifyCalls.get()).isEqualTo(5);
        assertThat(result.findings()).extracting(Finding::line, Finding::confidence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(4, 0.9));
    }

    @Test
    void aVerifierCallRefusedForGoodLeavesTheFindingsUnconfirmed() throws Exception {
        llm.answer(r -> {
            if (!verifying(r)) {
                llm.failNext(FakeLlmFault.status(400)); // the next call, the verifier's, is rejected
            }
            return reviewOrVerify(r, 0.9);
        });

        UnitResult result = review(unit(VerifyMode.FOLD, file("src/shop.py", SHOP, 4)));

        assertThat(llm.chatRequests()).hasSize(2);
        assertThat(result.findings()).isEmpty();
        assertThat(result.lowConfidenceFindings()).extracting(Finding::line).containsExactly(4);
        assertThat(result.notAnalyzed()).isEmpty();
    }

    @Test
    void verdictsAreCachedLikeTheReview() throws Exception {
        llm.answer(r -> reviewOrVerify(r, 0.9));
        FileToAnalyze shop = file("src/shop.py", SHOP, 4);

        UnitResult first = review(unit(VerifyMode.FOLD, shop));
        UnitResult second = review(unit(VerifyMode.FOLD, shop));

        assertThat(llm.chatRequests()).hasSize(2);
        assertThat(second.findings()).isEqualTo(first.findings());
        assertThat(second.usage().promptTokens()).isZero();
        assertThat(second.usage().cacheHits()).isEqualTo(2);
    }

    private double delta(String before, String series) {
        return value(scrape(), series) - value(before, series);
    }

    private String scrape() {
        return RestAssured.get(metricsEndpoint).then().statusCode(200).extract().asString();
    }
}
