/**
 * LLM analysis without Quarkus: how a work unit's files become prompts, batches and findings.
 *
 * <p>The pieces, in the order a unit goes through them:
 * <ul>
 *   <li>{@link LlmFileTask} plans each file (what the model must see, what is decided without it):
 *       {@link LlmReviewTask} builds numbered hunks around the changed lines
 *       ({@link ChangedHunks}), split into chunks of at most {@code chunk-chars} characters;</li>
 *   <li>{@link BatchPacker} packs the prompt items of several files into one request up to a token
 *       budget, in the order of {@link ReviewPriority};</li>
 *   <li>{@link LlmUnitEngine} looks each file up in the {@link AnalysisCache}, reserves tokens
 *       against the job's {@link TokenCeiling}, calls the model through a {@link ChatPort}, asks once
 *       more with a stricter instruction when the answer cannot be used, and turns what failed into
 *       {@code NotAnalyzed} entries instead of passing over it;</li>
 *   <li>{@link JsonAnswerExtractor} finds and repairs the JSON in a model's answer.</li>
 * </ul>
 * Ports ({@link ChatPort}, {@link AnalysisCache}, {@link TokenCeiling}) are asynchronous so that the
 * analyzer service can back them with its reactive REST client and PostgreSQL pool, and the
 * benchmarks with plain JDK clients.
 */
package dev.drep.core.llm;
