package dev.drep.analyzer;

import static dev.drep.analyzer.Units.awaitResult;
import static dev.drep.analyzer.Units.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.WorkUnit;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The doc-comments analyzer: deterministic findings, suggestions proposed by the model (task class simple). */
@QuarkusTest
class DocCommentsTest extends LlmAnalyzerTestBase {
    private static final String PYTHON = """
            def total(items):
                result = 0
                for item in items:
                    result += item.price
                return result
            """;
    private static final String GO = """
            package cart

            func Checkout(id string) error {
            \tif id == "" {
            \t\treturn nil
            \t}
            \treturn nil
            }
            """;


    @Test
    void missingDocsAreFoundAndTheModelProposesTheText() throws Exception {
        llm.answer("{\"docs\":[{\"path\":\"shop/cart.py\",\"line\":1,\"comment\":\"Sums the prices of the items.\\n\\n"
                + "Args:\\n    items: the cart's items.\\n\\nReturns:\\n    The total price.\"},"
                + "{\"path\":\"cart/cart.go\",\"line\":3,\"comment\":\"Checkout completes the order with the given id.\"}]}");
        WorkUnit unit = unit("doc-comments", "interactive",
                new FileToAnalyze("shop/cart.py", "p1", PYTHON, List.of(new LineRange(1, 5))),
                new FileToAnalyze("cart/cart.go", "g1", GO, List.of(new LineRange(3, 8))),
                new FileToAnalyze("cart/broken.go", "g2", "package cart\n\nfunc Broken( {\n}\n", List.of(new LineRange(3, 3))));
        channels.send(unit);
        UnitResult result = awaitResult(unit.unitId());

        assertThat(llm.chatRequests()).hasSize(1);
        assertThat(llm.lastChatRequest().header("X-Drep-Task-Class")).contains("simple");
        assertThat(llm.lastChatRequest().header("X-Drep-Priority")).contains("interactive");
        assertThat(result.findings()).extracting(Finding::path, Finding::line, Finding::rule).containsExactlyInAnyOrder(
                tuple("shop/cart.py", 1, "doc.missing"), tuple("cart/cart.go", 3, "doc.missing"));
        Finding python = result.findings().stream().filter(f -> f.path().equals("shop/cart.py")).findFirst().orElseThrow();
        assertThat(python.suggestion()).isEqualTo("def total(items):\n    \"\"\"Sums the prices of the items.\n\n"
                + "    Args:\n        items: the cart's items.\n\n    Returns:\n        The total price.\n    \"\"\"");
        Finding go = result.findings().stream().filter(f -> f.path().equals("cart/cart.go")).findFirst().orElseThrow();
        assertThat(go.suggestion()).isEqualTo("// Checkout completes the order with the given id.\nfunc Checkout(id string) error {");
        assertThat(result.notAnalyzed()).containsExactly(new NotAnalyzed("cart/broken.go",
                "not analyzed: could not parse the file (Go syntax error at line 3, column 13: missing ')')"));
    }

    @Test
    void aPoorCommentOverSeveralLinesGetsASuggestionReplacingThemAll() throws Exception {
        String java = """
                package shop;

                /** A shopping cart holding priced items. */
                public class Cart {
                    /**
                     * TODO
                     */
                    public int total(int discount) {
                        int sum = 0;
                        return sum - discount;
                    }
                }
                """;
        llm.answer("{\"docs\":[{\"path\":\"shop/Cart.java\",\"line\":5,\"comment\":\"Sums the cart.\\n"
                + "@param discount subtracted from the sum\\n@return the total\"}]}");
        WorkUnit unit = unit("doc-comments", "interactive",
                new FileToAnalyze("shop/Cart.java", "j1", java, List.of(new LineRange(1, 12))));
        channels.send(unit);
        UnitResult result = awaitResult(unit.unitId());

        assertThat(result.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.rule()).isEqualTo("doc.poor");
            assertThat(finding.line()).isEqualTo(5);
            assertThat(finding.endLine()).isEqualTo(7);
            assertThat(finding.lineText()).as("the anchor line identifies the finding").isEqualTo("    /**");
            assertThat(finding.suggestion()).isEqualTo("    /**\n     * Sums the cart.\n"
                    + "     * @param discount subtracted from the sum\n     * @return the total\n     */");
        });
    }
}
