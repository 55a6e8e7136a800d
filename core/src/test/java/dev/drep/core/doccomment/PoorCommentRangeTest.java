package dev.drep.core.doccomment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.core.llm.AnalysisCache;
import dev.drep.core.llm.ChatOutcome;
import dev.drep.core.llm.EngineSettings;
import dev.drep.core.llm.LlmUnitEngine;
import dev.drep.core.llm.TokenCeiling;
import dev.drep.core.llm.UnitContext;
import dev.drep.core.llm.UnitOutcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A poor documentation comment spanning several lines gets a suggestion replacing all of them (lines
 * {@code line..endLine} of the finding), in each language's comment syntax and indentation.
 */
class PoorCommentRangeTest {

    private static UnitOutcome review(FileToAnalyze file, int line, String comment) {
        String answer = "{\"docs\":[{\"path\":\"" + file.path() + "\",\"line\":" + line + ",\"comment\":\""
                + comment.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"}]}";
        LlmUnitEngine engine = new LlmUnitEngine(request -> CompletableFuture.completedFuture(
                new ChatOutcome.Answer(answer, "stop", 10, 10, 0, false)), AnalysisCache.none(), TokenCeiling.unlimited(),
                EngineSettings.defaults(), Runnable::run);
        return engine.run(new UnitContext("j", "r", "batch"), List.of(file), new DocCommentTask()).toCompletableFuture()
                .join();
    }

    private static FileToAnalyze newFile(String path, String content) {
        return new FileToAnalyze(path, "sha-" + path, content, List.of(new LineRange(1, (int) content.lines().count())));
    }

    private static Finding poor(UnitOutcome outcome) {
        return outcome.findings().stream().filter(f -> f.rule().equals("doc.poor")).findFirst().orElseThrow();
    }

    /** Applies {@code finding}'s suggestion to {@code content}, as "Commit suggestion" would. */
    private static String apply(String content, Finding finding) {
        List<String> lines = content.lines().toList();
        StringBuilder out = new StringBuilder();
        for (int n = 1; n < finding.line(); n++) {
            out.append(lines.get(n - 1)).append('\n');
        }
        out.append(finding.suggestion()).append('\n');
        for (int n = finding.endLine() + 1; n <= lines.size(); n++) {
            out.append(lines.get(n - 1)).append('\n');
        }
        return out.toString();
    }

    private static final String JAVA = """
            package p;

            /** A calculator for sums. */
            public class Calc {
                /**
                 * TODO
                 */
                public int add(int a, int b) {
                    int sum = a + b;
                    return sum;
                }
            }
            """;

    @Test
    void aMultiLineJavadocIsReplacedAsAWhole() {
        UnitOutcome outcome = review(newFile("src/Calc.java", JAVA), 5, "Adds two numbers.\n@param a first\n@param b second\n"
                + "@return the sum");

        Finding finding = poor(outcome);
        assertThat(finding.line()).isEqualTo(5);
        assertThat(finding.endLine()).isEqualTo(7);
        assertThat(finding.message()).isEqualTo("The documentation of the public method `add` is a placeholder (TODO).");
        assertThat(finding.suggestion()).isEqualTo("    /**\n     * Adds two numbers.\n     * @param a first\n"
                + "     * @param b second\n     * @return the sum\n     */");
        assertThat(apply(JAVA, finding)).isEqualTo("""
                package p;

                /** A calculator for sums. */
                public class Calc {
                    /**
                     * Adds two numbers.
                     * @param a first
                     * @param b second
                     * @return the sum
                     */
                    public int add(int a, int b) {
                        int sum = a + b;
                        return sum;
                    }
                }
                """);
        assertThat(outcome.summaryFindings()).isEmpty();
    }

    @Test
    void aJavadocOnlyPartlyInTheDiffKeepsTheProposalInTheMessage() {
        // the TODO line and the signature changed; the comment's first and last lines did not
        FileToAnalyze file = new FileToAnalyze("src/Calc.java", "sha", JAVA, List.of(new LineRange(6, 6), new LineRange(8, 8)));
        UnitOutcome outcome = review(file, 5, "Adds two numbers.");

        assertThat(outcome.findings()).isEmpty();
        Finding finding = outcome.summaryFindings().get(0);
        assertThat(finding.rule()).isEqualTo("doc.poor");
        assertThat(finding.line()).isEqualTo(5);
        assertThat(finding.endLine()).as("no range without a suggestion").isEqualTo(5);
        assertThat(finding.suggestion()).isNull();
        assertThat(finding.message()).endsWith("\n\nProposed documentation:\n\nAdds two numbers.");
    }

    private static final String PYTHON = """
            class Cart:
                \"\"\"A shopping cart holding priced items.\"\"\"

                def total(self, discount):
                    '''
                    TODO: document
                    '''
                    result = sum(self.prices)
                    return result - discount
            """;

    @Test
    void aMultiLineDocstringIsReplacedAtItsIndentation() {
        UnitOutcome outcome = review(newFile("shop/cart.py", PYTHON), 5,
                "Sums the prices of the cart.\n\nArgs:\n    discount: subtracted from the sum\n\nReturns:\n    the total");

        Finding finding = poor(outcome);
        assertThat(finding.line()).isEqualTo(5);
        assertThat(finding.endLine()).isEqualTo(7);
        assertThat(apply(PYTHON, finding)).isEqualTo("""
                class Cart:
                    \"\"\"A shopping cart holding priced items.\"\"\"

                    def total(self, discount):
                        \"\"\"Sums the prices of the cart.

                        Args:
                            discount: subtracted from the sum

                        Returns:
                            the total
                        \"\"\"
                        result = sum(self.prices)
                        return result - discount
                """);
    }

    private static final String GO = """
            package shop

            // Checkout TODO
            // (write this later)
            func Checkout(id string) error {
            	if id == "" {
            		return nil
            	}
            	return nil
            }
            """;

    @Test
    void severalGoCommentLinesAreReplacedByTheNewOnes() {
        UnitOutcome outcome = review(newFile("shop/checkout.go", GO), 3,
                "Checkout completes the order with the given id.\nAn empty id is ignored.");

        Finding finding = poor(outcome);
        assertThat(finding.line()).isEqualTo(3);
        assertThat(finding.endLine()).isEqualTo(4);
        assertThat(finding.suggestion()).isEqualTo("// Checkout completes the order with the given id.\n"
                + "// An empty id is ignored.");
        assertThat(apply(GO, finding)).startsWith("""
                package shop

                // Checkout completes the order with the given id.
                // An empty id is ignored.
                func Checkout(id string) error {
                """);
    }

    private static final String TYPESCRIPT = """
            export class Cart {
              /**
               * TODO
               *
               */
              total(discount: number): number {
                const sum = 0;
                return sum - discount;
              }
            }
            """;

    @Test
    void aMultiLineJsDocBlockIsReplacedAsAWhole() {
        UnitOutcome outcome = review(newFile("web/cart.ts", TYPESCRIPT), 2,
                "Sums the cart.\n@param discount subtracted from the sum\n@returns the total");

        Finding finding = poor(outcome);
        assertThat(finding.line()).isEqualTo(2);
        assertThat(finding.endLine()).isEqualTo(5);
        assertThat(apply(TYPESCRIPT, finding)).isEqualTo("""
                export class Cart {
                  /**
                   * Sums the cart.
                   * @param discount subtracted from the sum
                   * @returns the total
                   */
                  total(discount: number): number {
                    const sum = 0;
                    return sum - discount;
                  }
                }
                """);
    }

    @Test
    void aJavaScriptFunctionsPoorBlockIsReplacedToo() {
        String js = "/**\n * placeholder\n */\nexport function total(items) {\n  let sum = 0;\n  return sum;\n}\n";
        Finding finding = poor(review(newFile("web/total.js", js), 1, "Sums the items.\n@param items the numbers"));
        assertThat(finding.line()).isEqualTo(1);
        assertThat(finding.endLine()).isEqualTo(3);
        assertThat(finding.suggestion()).isEqualTo("/**\n * Sums the items.\n * @param items the numbers\n */");
    }

    @Test
    void aOneLinePoorCommentStaysAOneLineSuggestion() {
        String java = "public class A {\n    /** TODO */\n    public int f(int x) {\n        x++;\n        return x;\n    }\n}\n";
        Finding finding = poor(review(newFile("A.java", java), 2, "Increments x."));
        assertThat(finding.line()).isEqualTo(2);
        assertThat(finding.endLine()).isEqualTo(2);
        assertThat(finding.multiLine()).isFalse();
        assertThat(finding.suggestion()).isEqualTo("    /**\n     * Increments x.\n     */");
    }
}
