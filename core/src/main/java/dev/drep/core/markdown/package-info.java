/**
 * drep's deterministic markdown checks: {@link dev.drep.core.markdown.MarkdownAnalyzer} runs the ten
 * rules of {@link dev.drep.core.markdown.MarkdownRule} over one file and returns
 * {@link dev.drep.contracts.Finding}s, on a CommonMark parse (commonmark-java) and a scan of the lines. No Quarkus, no I/O: the analyzer-service, the CLI and the
 * benchmarks call it directly.
 */
package dev.drep.core.markdown;
