package dev.drep.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import java.util.List;

/**
 * What one LLM analyzer asks about files and how it reads the answers; {@link LlmUnitEngine} does
 * the rest (cache, batching, ceiling, calls, retries, failures). Implementations are stateless and
 * thread-safe.
 *
 * @param <S> per-file state kept from {@link #plan} to {@link #finish}
 */
public interface LlmFileTask<S> {

    /** @return the analyzer id, e.g. {@code llm-review} */
    String analyzer();

    /** @return the version of the analyzer's logic; part of the cache key */
    String version();

    /** @return the task class the gateway routes on ({@code X-Drep-Task-Class}) */
    String taskClass();

    /** @return the version of the prompt; part of the cache key */
    String promptVersion();

    /**
     * Earlier prompt versions whose cached results are still good enough to use: the engine looks a file up
     * under its current key first and under the keys of these versions after (never storing under them), so
     * that a new prompt does not cost every cached file a call at once. Empty by default.
     *
     * @return the versions, most recent first
     */
    default List<String> legacyPromptVersions() {
        return List.of();
    }

    /** @return settings that change what the model is shown, as text; part of the cache key */
    String settingsFingerprint();

    /** Decides, without the model, what it must be asked about {@code file}. CPU only, no I/O. */
    FilePlan<S> plan(FileToAnalyze file);

    /**
     * @param batch  the items of one request
     * @param strict true for the second attempt after an answer that could not be used
     * @return the messages of the request
     */
    List<ChatMessage> prompt(Batch batch, boolean strict);

    /** Reads the JSON of an answer; only paths and lines of {@code batch} are accepted. */
    AnswerReading read(JsonNode json, Batch batch);

    /**
     * Combines a file's deterministic findings with what the model said (possibly nothing, when it
     * was not asked or failed) and splits them into inline and summary findings.
     */
    FileOutcome finish(FilePlan<S> plan, List<Finding> llmFindings);

    /**
     * @return what a person should know when the model's part failed for a file, appended to the
     *         reason (e.g. that doc-comment findings come without proposed text); empty by default
     */
    default String partialNote() {
        return "";
    }
}
