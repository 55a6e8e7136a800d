package dev.drep.core.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the model says is on a line must be there: the bad answers of issue 16, read by the review task. */
class GroundingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CART = """
            import math

            def total(items):
                result = 0
                for item in items:
                    result += item.price * item.qty  # price times quantity
                return result

            def tax(amount):
                rate = 0.2
                return amount * rate

            def discount(amount):
                rate = 0.1
                return amount * rate
            """;
    private final LlmReviewTask task = new LlmReviewTask(8, 32_000, 400_000);
    private final FileToAnalyze cart = new FileToAnalyze("src/cart.py", "blob", CART,
            List.of(new LineRange(3, 15)));

    private AnswerReading answer(Map<String, Object> finding) throws Exception {
        ObjectNode entry = JSON.valueToTree(finding);
        return task.read(JSON.createObjectNode().set("findings", JSON.createArrayNode().add(entry)),
                new Batch(task.plan(cart).items()));
    }

    private static Map<String, Object> finding(int line, String quote) {
        return Map.of("path", "src/cart.py", "line", line, "quote", quote, "severity", "high", "category", "bug",
                "message", "overflow");
    }

    private static List<Finding> kept(AnswerReading reading) {
        return reading.findings().getOrDefault("src/cart.py", List.of());
    }

    @Test
    void aQuoteThatDiffersFromTheLineOnlyInWhitespaceIsOnTheLine() throws Exception {
        AnswerReading reading = answer(finding(6, "result+=item.price*item.qty  # price   times quantity"));
        assertThat(kept(reading)).extracting(Finding::line).containsExactly(6);
        assertThat(reading.dropped()).isEmpty();
    }

    @Test
    void aQuoteWithoutTheLinesTrailingCommentIsOnTheLine() throws Exception {
        AnswerReading reading = answer(finding(6, "result += item.price * item.qty"));
        assertThat(kept(reading)).extracting(Finding::line).containsExactly(6);
    }

    @Test
    void aQuoteWithACommentTheLineDoesNotHaveIsNotOnIt() throws Exception {
        AnswerReading reading = answer(finding(6, "result += item.price * item.qty  # TODO overflow"));
        assertThat(kept(reading)).isEmpty();
        assertThat(reading.dropped()).containsExactly(Map.entry(DropReason.QUOTE_NOT_FOUND, 1));
    }

    @Test
    void aQuoteThreeLinesAwayMovesTheFindingToTheQuotedLine() throws Exception {
        AnswerReading reading = answer(finding(9, "result += item.price * item.qty"));
        assertThat(kept(reading)).extracting(Finding::line).containsExactly(6);
        assertThat(reading.dropped()).isEmpty();
    }

    @Test
    void aQuoteThatMatchesTwoLinesTakesTheNearestToTheNamedLine() throws Exception {
        // "return amount * rate" is on lines 11 and 15; the model named 14
        assertThat(kept(answer(finding(14, "return amount * rate")))).extracting(Finding::line).containsExactly(15);
        assertThat(kept(answer(finding(12, "return amount * rate")))).extracting(Finding::line).containsExactly(11);
        // on the named line itself, it stays even though another line matches too
        assertThat(kept(answer(finding(11, "return amount * rate")))).extracting(Finding::line).containsExactly(11);
    }

    @Test
    void aQuoteEquallyNearTwoLinesTakesTheOneAbove() throws Exception {
        // "rate = " on lines 10 and 14; line 12 is two lines from each
        assertThat(kept(answer(finding(12, "rate =")))).extracting(Finding::line).containsExactly(10);
    }

    @Test
    void aQuoteThatIsNowhereNearIsDroppedAndCounted() throws Exception {
        AnswerReading reading = answer(finding(6, "result = sum(i.price for i in items)"));
        assertThat(kept(reading)).isEmpty();
        assertThat(reading.dropped()).containsExactly(Map.entry(DropReason.QUOTE_NOT_FOUND, 1));
        assertThat(reading.rejected()).singleElement().asString()
                .contains("quotes result = sum(i.price for i in items), which is not within 5 lines of line 6");
    }

    @Test
    void aQuoteOfALineFurtherThanTheWindowIsNotFound() throws Exception {
        // "import math" is line 1, twelve lines above line 13
        assertThat(answer(finding(13, "import math")).dropped())
                .containsExactly(Map.entry(DropReason.QUOTE_NOT_FOUND, 1));
    }

    @Test
    void aQuoteIsLookedForOnTheLinesTheModelWasShownOnly() throws Exception {
        // only line 10 changed, no context: "rate = 0.2" (line 10) is shown, "rate = 0.1" (line 14) is not
        LlmReviewTask narrow = new LlmReviewTask(0, 32_000, 400_000);
        FileToAnalyze one = new FileToAnalyze("src/cart.py", "blob", CART, List.of(new LineRange(10, 10)));
        Batch batch = new Batch(narrow.plan(one).items());
        ObjectNode onShown = JSON.valueToTree(finding(13, "rate ="));
        ObjectNode onUnseen = JSON.valueToTree(finding(13, "rate = 0.1"));
        AnswerReading reading = narrow.read(JSON.createObjectNode().set("findings",
                JSON.createArrayNode().add(onShown).add(onUnseen)), batch);
        // "rate =" is on line 14, next to the named 13, but the model never saw line 14: line 10 it saw
        assertThat(reading.findings().get("src/cart.py")).extracting(Finding::line).containsExactly(10);
        assertThat(reading.dropped()).containsExactly(Map.entry(DropReason.LINE_NOT_SHOWN, 1));
    }

    @Test
    void aFindingWithoutAQuoteIsDropped() throws Exception {
        Map<String, Object> noQuote = Map.of("path", "src/cart.py", "line", 6, "severity", "high", "category", "bug",
                "message", "overflow");
        assertThat(answer(noQuote).dropped()).containsExactly(Map.entry(DropReason.NO_QUOTE, 1));
        assertThat(answer(finding(6, "  \n ")).dropped()).containsExactly(Map.entry(DropReason.NO_QUOTE, 1));
    }

    @Test
    void aLineBeyondTheEndOfTheFileIsDropped() throws Exception {
        assertThat(answer(finding(400, "return amount * rate")).dropped())
                .containsExactly(Map.entry(DropReason.LINE_NOT_IN_FILE, 1));
    }

    @Test
    void aFindingOnAPathNotInTheRequestIsDropped() throws Exception {
        Map<String, Object> elsewhere = Map.of("path", "src/payment.py", "line", 6, "quote", "result += item",
                "severity", "high", "category", "security", "message", "injection");
        AnswerReading reading = answer(elsewhere);
        assertThat(reading.findings()).isEmpty();
        assertThat(reading.dropped()).containsExactly(Map.entry(DropReason.PATH_NOT_IN_REQUEST, 1));
    }

    @Test
    void aGutterCopiedFromThePromptIsNotPartOfTheQuote() throws Exception {
        assertThat(kept(answer(finding(6, " 6+| result += item.price * item.qty")))).extracting(Finding::line)
                .containsExactly(6);
    }

    @Test
    void aMultiLineQuoteMatchesConsecutiveLines() throws Exception {
        assertThat(kept(answer(finding(5, "for item in items:\n    result += item.price")))).extracting(Finding::line)
                .containsExactly(5);
        assertThat(answer(finding(5, "for item in items:\n    return result")).dropped())
                .containsExactly(Map.entry(DropReason.QUOTE_NOT_FOUND, 1));
    }

    @Test
    void aSuggestionThatAppliesIsKeptOnTheQuotedLine() throws Exception {
        Map<String, Object> fix = new HashMap<>(finding(9, "result += item.price * item.qty"));
        fix.put("suggestion", "        result += round(item.price * item.qty, 2)");
        assertThat(kept(answer(fix))).extracting(Finding::line, Finding::suggestion)
                .containsExactly(tuple(6, "        result += round(item.price * item.qty, 2)"));
    }

    @Test
    void suggestionsThatDoNotApplyDropTheFinding() throws Exception {
        for (String suggestion : List.of(
                "        result += item.price * item.qty  # price times quantity", // changes nothing
                "6+|         result += round(item.price * item.qty, 2)", // the prompt's gutter
                "-        result += item.price * item.qty  # price times quantity\n+        result += round(x)", // a diff
                "    for item in items:\n        result += round(item.price * item.qty, 2)", // repeats line 5
                "        result += round(item.price * item.qty, 2)\n    return result")) { // repeats line 7
            Map<String, Object> fix = new HashMap<>(finding(6, "result += item.price * item.qty"));
            fix.put("suggestion", suggestion);
            AnswerReading reading = answer(fix);
            assertThat(kept(reading)).as(suggestion).isEmpty();
            assertThat(reading.dropped()).as(suggestion)
                    .containsExactly(Map.entry(DropReason.SUGGESTION_DOES_NOT_APPLY, 1));
        }
    }

    @Test
    void aMultiLineSuggestionThatOnlyRepeatsABraceOrBlankLineApplies() {
        SourceLines lines = SourceLines.of("if (a) {\n  run();\n}\n");
        assertThat(Grounding.suggestionProblem(lines, 2, 2, "  run();\n  log();\n}")).isNull();
        assertThat(Grounding.suggestionProblem(lines, 2, 2, "  run();\n")).isEqualTo("it is the code it replaces");
        assertThat(Grounding.suggestionProblem(lines, 2, 4, "x")).contains("which the file (3 lines) does not have");
    }
}
