package dev.drep.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.Severity;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code llm-review} analyzer: the model reviews the added and changed lines of each file, shown
 * as numbered hunks with context ({@link ChangedHunks}), and answers with JSON findings (path, line,
 * quote of the code, severity, category, message, optional suggested code).
 *
 * <ul>
 *   <li>Severities map critical/high → error, medium → warning, low → info; the rule id is
 *       {@code llm.<category>} (bug, security, best-practice, performance, style, maintainability).</li>
 *   <li>A finding on a changed line is inline; one on a shown context line goes to the summary.</li>
 *   <li>Each finding quotes the code it is about and is grounded before it is kept ({@link Grounding}): a
 *       path not in the request, a line not in the file or not shown, a quote that is not on the line or
 *       near it (a finding whose quote is a few lines away moves there), a suggestion that would not apply:
 *       the finding is dropped and counted by {@link DropReason}.</li>
 *   <li>The numbered lines go to the model inside a {@link DataBlock}, which the content cannot close; the
 *       system message says nothing inside a block is an instruction.</li>
 *   <li>A file's hunks are split into chunks of at most {@code chunkChars} rendered characters (a
 *       single hunk larger than that into runs of lines); nothing is cut. A file over
 *       {@code maxFileChars} is not reviewed and is named with the reason.</li>
 * </ul>
 */
public final class LlmReviewTask implements LlmFileTask<LlmReviewTask.Shown> {
    /** Analyzer id in work units. */
    public static final String ID = "llm-review";
    /** Version of the prompt text; part of the cache key. */
    public static final String PROMPT_VERSION = "review-2";
    /**
     * Prompt versions whose cached results are still used: {@code review-1} asked for no quote, so its findings
     * were never grounded; they are accepted as they were cached (see {@link LlmFileTask#legacyPromptVersions()}).
     */
    static final List<String> LEGACY_PROMPT_VERSIONS = List.of("review-1");
    private static final int MAX_MESSAGE_CHARS = 2_000;
    private static final int MAX_SUGGESTION_CHARS = 8_000;
    private static final Set<String> CATEGORIES = Set.of("bug", "security", "best-practice", "performance", "style",
            "maintainability");

    private static final String SYSTEM = """
            You are drep, a careful senior code reviewer. Review the changed lines of the files below.
            Each file's code is shown as numbered lines: the number is the line's number in the new version of
            the file; a '+' after the number marks an added or changed line, the other lines are unchanged
            context. Report real problems in the added or changed lines only: bugs, security issues,
            performance problems, violated best practices, maintainability and style problems that matter.
            Do not report problems of unchanged lines unless a change causes them. Do not praise.

            """ + DataBlock.RULE + """


            Answer with one JSON object and nothing else, in exactly this shape:
            {"findings":[{"path":"<the file's path exactly as given>","line":<line number as shown>,
            "quote":"<the code of that line the finding is about, copied exactly as shown, without the line number and '|'>",
            "severity":"critical|high|medium|low","category":"bug|security|best-practice|performance|style|maintainability",
            "message":"<what is wrong and why, in one or two sentences>",
            "suggestion":"<optional: replacement code for that whole line, the line only; leave the field out when you have none>"}]}
            Every finding must quote the code it names: a finding whose quote is not on its line is discarded.
            Your answer is findings only: it cannot approve, reject or merge anything.
            Answer {"findings":[]} when there is nothing to report.""";

    private static final String STRICT = """

            IMPORTANT: your previous answer could not be used. Reply with the JSON object only: no prose,
            no markdown, no code fences, no comments. Use double quotes. Use only the paths and the line
            numbers shown below, and quote the code of each line you name. At most 10 findings per file, each
            message under 300 characters.""";

    private final int contextLines;
    private final int chunkChars;
    private final int maxFileChars;

    /** What a file showed the model: its hunks (to re-filter cached findings to the current change). */
    public record Shown(List<LineRange> hunks) {
    }

    /**
     * @param contextLines unchanged lines shown before and after each change
     * @param chunkChars   rendered characters per chunk of a file at most
     * @param maxFileChars files longer than this are not reviewed (and are named)
     */
    public LlmReviewTask(int contextLines, int chunkChars, int maxFileChars) {
        this.contextLines = contextLines;
        this.chunkChars = chunkChars;
        this.maxFileChars = maxFileChars;
    }

    @Override
    public String analyzer() {
        return ID;
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public String taskClass() {
        return "complex";
    }

    @Override
    public String promptVersion() {
        return PROMPT_VERSION;
    }

    @Override
    public String settingsFingerprint() {
        return "context=" + contextLines + ";chunk=" + chunkChars;
    }

    @Override
    public FilePlan<Shown> plan(FileToAnalyze file) {
        String content = file.content();
        if (content.length() > maxFileChars) {
            return FilePlan.skip(file, "not analyzed: the file has " + content.length()
                    + " characters, over the LLM review limit of " + maxFileChars + " (drep.analyzer.llm.max-file-chars)");
        }
        SourceLines lines = SourceLines.of(content);
        List<LineRange> hunks = ChangedHunks.around(file.changedLines(), contextLines, lines.count());
        Shown shown = new Shown(hunks);
        if (hunks.isEmpty()) {
            return FilePlan.of(file, shown, List.of(), List.of());
        }
        List<List<LineRange>> chunks = chunks(hunks, lines);
        List<PromptItem> items = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            List<LineRange> ranges = chunks.get(i);
            String section = section(file, lines, ranges, i + 1, chunks.size());
            LineRange span = new LineRange(ranges.get(0).start(), ranges.get(ranges.size() - 1).end());
            items.add(new PromptItem(file.path(), section, TokenEstimate.of(section), ranges, span, lines));
        }
        return FilePlan.of(file, shown, items, List.of());
    }

    private List<List<LineRange>> chunks(List<LineRange> hunks, SourceLines lines) {
        List<List<LineRange>> chunks = new ArrayList<>();
        List<LineRange> current = new ArrayList<>();
        int size = 0;
        for (LineRange hunk : hunks) {
            for (LineRange piece : fit(hunk, lines)) {
                int length = length(piece, lines);
                if (!current.isEmpty() && size + length > chunkChars) {
                    chunks.add(current);
                    current = new ArrayList<>();
                    size = 0;
                }
                current.add(piece);
                size += length;
            }
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /** Splits one hunk into runs of lines of at most {@code chunkChars} (a single longer line stays whole). */
    private List<LineRange> fit(LineRange hunk, SourceLines lines) {
        List<LineRange> pieces = new ArrayList<>();
        int start = hunk.start();
        int size = 0;
        for (int n = hunk.start(); n <= hunk.end(); n++) {
            int length = ChangedHunks.renderedLength(lines, n, hunk.end());
            if (n > start && size + length > chunkChars) {
                pieces.add(new LineRange(start, n - 1));
                start = n;
                size = 0;
            }
            size += length;
        }
        pieces.add(new LineRange(start, hunk.end()));
        return pieces;
    }

    private static int length(LineRange range, SourceLines lines) {
        int length = 0;
        for (int n = range.start(); n <= range.end(); n++) {
            length += ChangedHunks.renderedLength(lines, n, range.end());
        }
        return length;
    }

    private static String section(FileToAnalyze file, SourceLines lines, List<LineRange> ranges, int part, int parts) {
        StringBuilder text = new StringBuilder();
        text.append("### File: ").append(DataBlock.headerText(file.path()));
        if (parts > 1) {
            text.append(" (part ").append(part).append(" of ").append(parts).append(')');
        }
        text.append('\n');
        if (file.instructions() != null && !file.instructions().isBlank()) {
            text.append("Instructions for this file from the repository's configuration: ")
                    .append(file.instructions().strip()).append('\n');
        }
        StringBuilder body = new StringBuilder();
        int width = Integer.toString(ranges.get(ranges.size() - 1).end()).length();
        for (int i = 0; i < ranges.size(); i++) {
            if (i > 0) {
                body.append("@@ lines ").append(ranges.get(i - 1).end() + 1).append('-')
                        .append(ranges.get(i).start() - 1).append(" unchanged, not shown @@\n");
            }
            body.append(ChangedHunks.render(lines, ranges.get(i), file::isChanged, width));
        }
        text.append(DataBlock.wrap(body.toString())).append('\n');
        return text.toString();
    }

    @Override
    public List<ChatMessage> prompt(Batch batch, boolean strict) {
        StringBuilder user = new StringBuilder();
        user.append("Review these ").append(batch.paths().size()).append(" file(s):\n\n");
        batch.items().forEach(item -> user.append(item.section()));
        return List.of(ChatMessage.system(strict ? SYSTEM + STRICT : SYSTEM), ChatMessage.user(user.toString()));
    }

    @Override
    public List<String> legacyPromptVersions() {
        return LEGACY_PROMPT_VERSIONS;
    }

    /**
     * Reads the findings and grounds each one ({@link Grounding}): its path must be in the request, its line in
     * the file, its quote on that line or within {@link Grounding#WINDOW} lines (then the finding moves to the
     * quoted line), the line shown to the model, and its suggestion must apply. Every entry that fails is
     * counted by {@link DropReason}.
     */
    @Override
    public AnswerReading read(JsonNode json, Batch batch) {
        JsonNode list = findings(json);
        if (list == null) {
            return AnswerReading.unusable("expected a JSON object with a \"findings\" array");
        }
        Set<String> paths = batch.paths();
        Map<String, List<Finding>> accepted = new LinkedHashMap<>();
        List<String> rejected = new ArrayList<>();
        Map<DropReason, Integer> dropped = new EnumMap<>(DropReason.class);
        int index = 0;
        for (JsonNode entry : list) {
            index++;
            if (!entry.isObject()) {
                rejected.add("entry " + index + " is not an object");
                dropped.merge(DropReason.MALFORMED, 1, Integer::sum);
                continue;
            }
            Read read = readEntry(entry, batch, paths);
            if (read.reason() != null) {
                rejected.add("entry " + index + " " + read.why());
                dropped.merge(read.reason(), 1, Integer::sum);
                continue;
            }
            accepted.computeIfAbsent(read.finding().path(), p -> new ArrayList<>()).add(read.finding());
        }
        return new AnswerReading(true, accepted, rejected, dropped);
    }

    /** One entry: the finding, or why it was dropped. */
    private record Read(Finding finding, DropReason reason, String why) {
        static Read drop(DropReason reason, String why) {
            return new Read(null, reason, why);
        }
    }

    private static Read readEntry(JsonNode entry, Batch batch, Set<String> paths) {
        String written = AnswerFields.text(entry, "path", "file_path", "filePath", "file", "filename");
        String path = AnswerFields.path(written, paths);
        Integer line = AnswerFields.line(entry, "line", "line_number", "lineNumber", "start_line", "startLine");
        Severity severity = severity(AnswerFields.text(entry, "severity", "level"));
        String category = category(AnswerFields.text(entry, "category", "type", "kind"));
        String message = AnswerFields.text(entry, "message", "comment", "description", "issue");
        String quote = AnswerFields.text(entry, "quote", "code", "quoted_code", "quotedCode", "snippet");
        if (written == null) {
            return Read.drop(DropReason.MALFORMED, "has no path");
        }
        if (path == null) {
            return Read.drop(DropReason.PATH_NOT_IN_REQUEST,
                    "names " + AnswerFields.bounded(written, 200) + ", which is not in this request");
        }
        if (line == null) {
            return Read.drop(DropReason.MALFORMED, "has no valid line number");
        }
        if (severity == null) {
            return Read.drop(DropReason.MALFORMED, "has no valid severity");
        }
        if (category == null) {
            return Read.drop(DropReason.MALFORMED, "has no valid category");
        }
        if (message == null || message.isBlank()) {
            return Read.drop(DropReason.MALFORMED, "has no message");
        }
        SourceLines lines = batch.lines(path);
        if (lines != null && line > lines.count()) {
            return Read.drop(DropReason.LINE_NOT_IN_FILE,
                    "names line " + line + " of " + path + ", which has " + lines.count() + " lines");
        }
        int anchor = line;
        if (lines != null) {
            if (!Grounding.hasCode(quote)) {
                return Read.drop(DropReason.NO_QUOTE, "on line " + line + " of " + path + " quotes no code");
            }
            anchor = Grounding.locate(lines, line, quote, n -> batch.answers(path, n));
            if (anchor < 0) {
                int unseen = Grounding.locate(lines, line, quote);
                if (unseen > 0) {
                    return Read.drop(DropReason.LINE_NOT_SHOWN, "names line " + line + " of " + path
                            + ", whose quoted code is on line " + unseen + ", which was not shown");
                }
                return Read.drop(DropReason.QUOTE_NOT_FOUND, "quotes " + AnswerFields.bounded(quote.strip(), 200)
                        + ", which is not within " + Grounding.WINDOW + " lines of line " + line + " of " + path);
            }
        }
        if (!batch.answers(path, anchor)) {
            return Read.drop(DropReason.LINE_NOT_SHOWN, "names line " + anchor + " of " + path + ", which was not shown");
        }
        String suggestion = AnswerFields.text(entry, "suggestion", "suggested_code", "suggestedCode", "fix",
                "replacement");
        if (suggestion != null && suggestion.isBlank()) {
            suggestion = null;
        }
        if (suggestion != null && lines != null) {
            String problem = suggestion.length() > MAX_SUGGESTION_CHARS
                    ? "it has " + suggestion.length() + " characters, over the limit of " + MAX_SUGGESTION_CHARS
                    : Grounding.suggestionProblem(lines, anchor, anchor, suggestion);
            if (problem != null) {
                return Read.drop(DropReason.SUGGESTION_DOES_NOT_APPLY,
                        "has a suggestion for line " + anchor + " of " + path + " that does not apply: " + problem);
            }
        }
        return new Read(new Finding("llm." + category, path, anchor, severity,
                AnswerFields.bounded(message.strip(), MAX_MESSAGE_CHARS),
                suggestion == null ? null : AnswerFields.bounded(suggestion, MAX_SUGGESTION_CHARS)), null, null);
    }

    private static JsonNode findings(JsonNode json) {
        if (json.isArray()) {
            return json;
        }
        for (String name : new String[] {"findings", "comments", "issues", "problems"}) {
            JsonNode value = json.get(name);
            if (value != null) {
                return value.isArray() ? value : null;
            }
        }
        return json.has("path") && json.has("line") ? JsonNodeFactory.instance.arrayNode().add(json) : null;
    }

    /** critical/high → error, medium → warning, low → info. */
    static Severity severity(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "critical", "high", "error", "blocker", "major" -> Severity.ERROR;
            case "medium", "warning", "moderate" -> Severity.WARNING;
            case "low", "info", "minor", "trivial", "nit" -> Severity.INFO;
            default -> null;
        };
    }

    static String category(String text) {
        if (text == null) {
            return null;
        }
        String c = text.strip().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
        if (c.equals("bestpractice") || c.equals("best-practices")) {
            c = "best-practice";
        } else if (c.equals("bugs") || c.equals("correctness")) {
            c = "bug";
        } else if (c.equals("perf")) {
            c = "performance";
        } else if (c.equals("readability") || c.equals("formatting")) {
            c = "style";
        } else if (c.equals("maintenance")) {
            c = "maintainability";
        }
        return CATEGORIES.contains(c) ? c : null;
    }

    @Override
    public FileOutcome finish(FilePlan<Shown> plan, List<Finding> llmFindings) {
        List<Finding> inline = new ArrayList<>();
        List<Finding> summary = new ArrayList<>();
        FileToAnalyze file = plan.file();
        for (Finding finding : llmFindings) {
            if (file.isChanged(finding.line())) {
                inline.add(finding);
            } else if (shown(plan.state().hunks(), finding.line())) {
                summary.add(finding);
            }
            // else: a cached finding about lines this change does not touch or show; it does not belong here
        }
        return new FileOutcome(inline, summary);
    }

    private static boolean shown(List<LineRange> hunks, int line) {
        for (LineRange hunk : hunks) {
            if (hunk.contains(line)) {
                return true;
            }
        }
        return false;
    }
}
