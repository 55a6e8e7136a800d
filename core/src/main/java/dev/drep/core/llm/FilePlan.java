package dev.drep.core.llm;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.NotAnalyzed;
import java.util.List;

/**
 * What an {@link LlmFileTask} decided about one file before any LLM call.
 *
 * @param file          the file
 * @param state         whatever the task needs again in {@link LlmFileTask#finish}
 * @param items         what the model must see (empty: no call needed)
 * @param deterministic findings decided without the model (e.g. a missing doc comment)
 * @param skipped       set when the file cannot be analysed at all (e.g. it does not parse); then
 *                      nothing else counts
 * @param <S>           the task's state type
 */
public record FilePlan<S>(FileToAnalyze file, S state, List<PromptItem> items, List<Finding> deterministic,
        NotAnalyzed skipped) {
    public FilePlan {
        items = items == null ? List.of() : List.copyOf(items);
        deterministic = deterministic == null ? List.of() : List.copyOf(deterministic);
    }

    /** @return a plan that names the file as not analysed */
    public static <S> FilePlan<S> skip(FileToAnalyze file, String reason) {
        return new FilePlan<>(file, null, List.of(), List.of(), new NotAnalyzed(file.path(), reason));
    }

    /** @return a plan with prompt items and deterministic findings */
    public static <S> FilePlan<S> of(FileToAnalyze file, S state, List<PromptItem> items, List<Finding> deterministic) {
        return new FilePlan<>(file, state, items, deterministic, null);
    }
}
