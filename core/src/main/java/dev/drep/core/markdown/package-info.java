/**
 * drep's deterministic markdown checks: {@link dev.drep.core.markdown.MarkdownAnalyzer} runs the ten line
 * rules of {@link dev.drep.core.markdown.MarkdownRule} over one file and returns
 * {@link dev.drep.contracts.Finding}s. No Quarkus, no I/O: the analyzer-service, the CLI and the
 * benchmarks call it directly.
 */
package dev.drep.core.markdown;
