package dev.drep.core.llm;

import dev.drep.contracts.Finding;
import java.util.List;
import java.util.Map;

/**
 * What a task read from the JSON of one answer.
 *
 * @param usable   false when the JSON does not have the asked-for shape at all (then the engine asks again)
 * @param findings the accepted findings by path (only paths of the batch)
 * @param rejected why individual entries were dropped (wrong types, a path not in the batch, a line
 *                 that was not shown, ...), for logs
 */
public record AnswerReading(boolean usable, Map<String, List<Finding>> findings, List<String> rejected) {
    public AnswerReading {
        findings = Map.copyOf(findings);
        rejected = List.copyOf(rejected);
    }

    /** @return a reading of JSON that does not have the expected shape */
    public static AnswerReading unusable(String why) {
        return new AnswerReading(false, Map.of(), List.of(why));
    }
}
