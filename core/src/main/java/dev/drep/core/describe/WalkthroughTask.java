package dev.drep.core.describe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Walkthrough;
import dev.drep.core.llm.CacheKeys;
import dev.drep.core.llm.ChatMessage;
import dev.drep.core.llm.DataBlock;
import dev.drep.core.llm.ExtractedJson;
import dev.drep.core.llm.JsonAnswerExtractor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The walkthrough's prompt and the reading of the model's answer. Pure: no I/O.
 *
 * <p>The unit's files carry each file's unified diff as their content (null when the scanner's budget left it out).
 * The files go into one call in path order while their diffs fit {@link WalkthroughSettings#maxPromptChars()}; the
 * others are listed without a line. The answer is JSON, {@code {"summary": "...", "files": [{"path": "...",
 * "line": "..."}]}}; what does not have that shape is not used, lines for paths that were not asked about are
 * ignored, and every text is cut to a bound.
 */
public final class WalkthroughTask {
    /** The analyzer id of describe units. */
    public static final String ID = "describe";
    /** Changes whenever the prompt or the reading changes (part of the cache key). */
    public static final String PROMPT_VERSION = "describe-1";
    /** The overview is cut after this many characters. */
    public static final int MAX_OVERVIEW_CHARS = 1200;
    /** Each file's line is cut after this many characters. */
    public static final int MAX_LINE_CHARS = 240;

    private static final String SYSTEM = """
            You write the walkthrough of a pull request for the people who review it. Answer with one JSON object and
            nothing else:
            {"summary": "<what the change does, and why when the diff shows it, in 2 to 4 plain sentences>",
             "files": [{"path": "<a path exactly as listed>", "line": "<one short sentence: what changed in that file>"}]}
            One entry per listed file. Plain sentences only: no headings, lists, HTML, links, images or mentions.
            """ + DataBlock.RULE;

    private WalkthroughTask() {
    }

    /**
     * A prepared call.
     *
     * @param messages  the conversation, or empty when there is nothing to ask about
     * @param taskClass {@code simple} or {@code complex}
     * @param asked     the paths whose diffs the call carries, in order
     * @param unlisted  the paths left out (no diff, or over the budget), in order
     * @param overBudget how many of {@code unlisted} were left out for the budget
     * @param cacheKey  the analysis cache's key of this call
     */
    public record Prompt(List<ChatMessage> messages, String taskClass, List<String> asked, List<String> unlisted,
            int overBudget, String cacheKey) {
    }

    /**
     * What the answer came to.
     *
     * @param walkthrough the walkthrough, or null when the answer was not usable
     * @param problem     why it was not usable, or null
     */
    public record Reading(Walkthrough walkthrough, String problem) {
    }

    /** @return the call for {@code files} (each file's content is its diff) */
    public static Prompt prompt(List<FileToAnalyze> files, WalkthroughSettings settings) {
        List<String> asked = new ArrayList<>();
        List<String> unlisted = new ArrayList<>();
        int overBudget = 0;
        StringBuilder diff = new StringBuilder();
        for (FileToAnalyze file : files) {
            String text = file.content();
            if (text == null || text.isBlank() || diff.length() + text.length() > settings.maxPromptChars()) {
                unlisted.add(file.path());
                overBudget++;
                continue;
            }
            asked.add(file.path());
            diff.append(text.endsWith("\n") ? text : text + "\n");
        }
        if (asked.isEmpty()) {
            return new Prompt(List.of(), "simple", asked, unlisted, overBudget, null);
        }
        StringBuilder user = new StringBuilder("The pull request changes these files:\n");
        asked.forEach(path -> user.append("- ").append(DataBlock.headerText(path)).append('\n'));
        user.append("\nIts diff:\n").append(DataBlock.wrap(diff.toString()));
        String taskClass = diff.length() > settings.complexAboveChars() ? "complex" : "simple";
        List<ChatMessage> messages = List.of(ChatMessage.system(SYSTEM), ChatMessage.user(user.toString()));
        String key = CacheKeys.sha256(String.join("\u0000", ID, PROMPT_VERSION, settings.model(), taskClass,
                settings.namespace(), SYSTEM, user.toString()));
        return new Prompt(messages, taskClass, asked, unlisted, overBudget, key);
    }

    /** @return the walkthrough in {@code answer}, or why there is none */
    public static Reading read(String answer, Prompt prompt, int maxAnswerChars) {
        ExtractedJson extracted = new JsonAnswerExtractor(maxAnswerChars).extract(answer);
        if (extracted instanceof ExtractedJson.Unusable unusable) {
            return new Reading(null, unusable.reason());
        }
        JsonNode json = ((ExtractedJson.Found) extracted).json();
        if (!json.isObject() || !json.path("summary").isTextual() || !json.path("files").isArray()) {
            return new Reading(null, "the answer is not an object with a text \"summary\" and a list \"files\"");
        }
        Map<String, String> lines = new LinkedHashMap<>();
        for (JsonNode entry : json.path("files")) {
            String path = entry.path("path").asText("");
            String line = entry.path("line").asText("");
            if (entry.path("path").isTextual() && entry.path("line").isTextual() && prompt.asked().contains(path)
                    && !line.isBlank()) {
                lines.putIfAbsent(path, cut(line, MAX_LINE_CHARS));
            }
        }
        List<Walkthrough.FileLine> files = new ArrayList<>();
        List<String> unlisted = new ArrayList<>();
        for (String path : prompt.asked()) {
            if (lines.containsKey(path)) {
                files.add(new Walkthrough.FileLine(path, lines.get(path)));
            } else {
                unlisted.add(path);
            }
        }
        unlisted.addAll(prompt.unlisted());
        unlisted.sort(null);
        return new Reading(new Walkthrough(cut(json.path("summary").asText(), MAX_OVERVIEW_CHARS), files, unlisted,
                overBudgetNote(prompt)), null);
    }

    /** @return drep's note on files left out for the budget, or null */
    public static String overBudgetNote(Prompt prompt) {
        if (prompt.overBudget() == 0) {
            return null;
        }
        return prompt.overBudget() + (prompt.overBudget() == 1 ? " file is" : " files are") + " listed without a "
                + "description: the change is larger than the walkthrough's budget.";
    }

    private static String cut(String text, int max) {
        String one = text.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }
}
