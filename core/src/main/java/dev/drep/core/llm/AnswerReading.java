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
 * @param dropped  how many of the model's findings were dropped, by reason (counted in metrics and shown in the
 *                 review's summary); empty for a task whose entries are not findings
 */
public record AnswerReading(boolean usable, Map<String, List<Finding>> findings, List<String> rejected,
        Map<DropReason, Integer> dropped) {
    public AnswerReading {
        findings = Map.copyOf(findings);
        rejected = List.copyOf(rejected);
        dropped = Map.copyOf(dropped);
    }

    /** A reading that counts no dropped findings (its rejected entries are not findings, e.g. doc proposals). */
    public AnswerReading(boolean usable, Map<String, List<Finding>> findings, List<String> rejected) {
        this(usable, findings, rejected, Map.of());
    }

    /** @return a reading of JSON that does not have the expected shape */
    public static AnswerReading unusable(String why) {
        return new AnswerReading(false, Map.of(), List.of(why));
    }
}
