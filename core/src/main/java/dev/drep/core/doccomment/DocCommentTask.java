package dev.drep.core.doccomment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.Severity;
import dev.drep.core.llm.AnswerFields;
import dev.drep.core.llm.AnswerReading;
import dev.drep.core.llm.Batch;
import dev.drep.core.llm.ChatMessage;
import dev.drep.core.llm.DataBlock;
import dev.drep.core.llm.FileOutcome;
import dev.drep.core.llm.FilePlan;
import dev.drep.core.llm.LlmFileTask;
import dev.drep.core.llm.PromptItem;
import dev.drep.core.llm.SourceLines;
import dev.drep.core.llm.TokenEstimate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code doc-comments} analyzer: public functions, methods and classes on changed lines with a
 * missing ({@code doc.missing}, warning) or poor ({@code doc.poor}, info) documentation comment
 * ({@link DocCommentRules}); the model (task class {@code simple}) proposes the text, which becomes
 * the finding's suggestion ({@link DocCommentFormatter}). The findings themselves do not depend on
 * the model: when it fails they are still reported, without a proposal. The model is asked for at
 * most {@code maxProposalsPerFile} declarations of a file (the first ones in the file); a new file
 * with dozens of undocumented functions gets all its findings, and proposals for the first of them,
 * instead of costing a call per dozen declarations.
 *
 * <p>A poor comment spanning several lines gets a suggestion replacing all of them: the finding is
 * anchored at the comment's first line and its {@code endLine} is the comment's last line. Such a range
 * goes inline only when every line of it was added or changed — a run of changed lines lies in one hunk
 * of the diff whatever the platform's context size, and GitHub accepts a multi-line comment only inside
 * one hunk. Otherwise the finding keeps to its first line, without a suggestion, and the proposed text is
 * in its message (inline when that line changed, else in the summary).
 */
public final class DocCommentTask implements LlmFileTask<DocCommentTask.State> {
    /** Analyzer id in work units. */
    public static final String ID = "doc-comments";
    /** Version of the prompt text; part of the cache key. */
    public static final String PROMPT_VERSION = "doc-2";
    /** doc-1 showed the code in a fence rather than a data block; its answers (proposed text) are as good as ever. */
    private static final List<String> LEGACY_PROMPT_VERSIONS = List.of("doc-1");
    /** Declarations longer than this are shown to the model with the rest of their body left out (and said so). */
    static final int MAX_SOURCE_LINES = 80;
    private static final String PROPOSAL_RULE = "doc.proposal";
    /** Proposals asked for per file unless configured otherwise. */
    public static final int DEFAULT_PROPOSALS_PER_FILE = 8;

    private final int maxProposalsPerFile;
    private final DeclarationCache declarations;

    private static final String SYSTEM = """
            You are drep, writing documentation comments for public code. For each declaration below,
            write the documentation it is missing, or a better one where the existing one is poor.
            Say what the code does and what callers need to know, accurately and briefly; do not invent
            behaviour that the code does not show.
            Style by language: Python — a Google-style docstring (a summary line, then Args:, Returns:
            and Raises: sections where they apply). Java — Javadoc (a summary sentence, @param for every
            parameter, @return unless void, @throws for declared exceptions). JavaScript and TypeScript —
            JSDoc (a summary, @param for every parameter, @returns). Go — sentences starting with the
            declared name.

            """ + DataBlock.RULE + """


            Answer with one JSON object and nothing else, in exactly this shape:
            {"docs":[{"path":"<the file's path exactly as given>","line":<the line number given for the declaration>,
            "comment":"<the documentation text only, without comment markers such as /** */, //, # or quotes>"}]}""";

    private static final String STRICT = """

            IMPORTANT: your previous answer could not be used. Reply with the JSON object only: no prose,
            no markdown, no code fences. Use double quotes and escape line breaks inside strings as \\n.
            Use only the paths and line numbers given below.""";

    /**
     * What the file's plan keeps for {@link #finish}.
     *
     * @param language the file's language
     * @param lines    its lines
     * @param issues   its documentation issues on changed lines
     */
    public record State(SourceLanguage language, SourceLines lines, List<DocIssue> issues) {
    }

    /** A task asking for at most {@value #DEFAULT_PROPOSALS_PER_FILE} proposals per file. */
    public DocCommentTask() {
        this(DEFAULT_PROPOSALS_PER_FILE);
    }

    /** @param maxProposalsPerFile declarations per file the model is asked to document */
    public DocCommentTask(int maxProposalsPerFile) {
        this(maxProposalsPerFile, new DeclarationCache());
    }

    /**
     * @param maxProposalsPerFile declarations per file the model is asked to document
     * @param declarations        parse results by blob, shared by every unit this task plans
     */
    public DocCommentTask(int maxProposalsPerFile, DeclarationCache declarations) {
        this.maxProposalsPerFile = maxProposalsPerFile;
        this.declarations = declarations;
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
        return "simple";
    }

    @Override
    public String promptVersion() {
        return PROMPT_VERSION;
    }

    @Override
    public String settingsFingerprint() {
        return "min-lines=" + DocCommentRules.MIN_LINES + ";min-chars=" + DocCommentRules.MIN_CHARS + ";proposals="
                + maxProposalsPerFile;
    }

    @Override
    public List<String> legacyPromptVersions() {
        return LEGACY_PROMPT_VERSIONS;
    }

    @Override
    public String partialNote() {
        return " (the doc-comment findings are listed without a proposed comment)";
    }

    @Override
    public FilePlan<State> plan(FileToAnalyze file) {
        Optional<SourceLanguage> language = SourceLanguage.of(file.path());
        if (language.isEmpty()) {
            return FilePlan.skip(file, "not analyzed: no doc-comment parser for this file type");
        }
        ParsedSource parsed = declarations.parse(file, language.get());
        if (parsed instanceof ParsedSource.Unparsable unparsable) {
            return FilePlan.skip(file, "not analyzed: could not parse the file (" + unparsable.error() + ")");
        }
        SourceLines lines = SourceLines.of(file.content());
        List<DocIssue> issues = DocCommentRules.check(((ParsedSource.Parsed) parsed).declarations(), file);
        List<PromptItem> items = new ArrayList<>();
        for (DocIssue issue : issues.subList(0, Math.min(issues.size(), maxProposalsPerFile))) {
            items.add(item(file.path(), language.get(), lines, issue));
        }
        return FilePlan.of(file, new State(language.get(), lines, issues), items, List.of());
    }

    private static PromptItem item(String path, SourceLanguage language, SourceLines lines, DocIssue issue) {
        Declaration d = issue.declaration();
        int anchor = DocCommentFormatter.anchor(language, issue);
        int from = d.doc() != null ? Math.min(d.doc().startLine(), d.startLine()) : d.startLine();
        int to = Math.min(d.endLine(), lines.count());
        int shownTo = Math.min(to, from + MAX_SOURCE_LINES - 1);
        StringBuilder text = new StringBuilder();
        text.append("### ").append(DataBlock.headerText(path)).append(", line ").append(anchor).append(": public ")
                .append(d.kind().label()).append(" `").append(d.name()).append("` (").append(language.displayName())
                .append(") — ").append(issue.missing() ? "documentation missing"
                        : "documentation is " + issue.detail() + " (shown in the code)")
                .append('\n');
        StringBuilder code = new StringBuilder();
        for (int n = from; n <= shownTo; n++) {
            code.append(n).append(" | ").append(lines.line(n)).append('\n');
        }
        if (shownTo < to) {
            code.append("(lines ").append(shownTo + 1).append('-').append(to).append(" of the body not shown)\n");
        }
        text.append(DataBlock.wrap(code.toString())).append('\n');
        String section = text.toString();
        return new PromptItem(path, section, TokenEstimate.of(section), List.of(new LineRange(anchor, anchor)),
                new LineRange(d.startLine(), Math.max(d.startLine(), to)));
    }

    @Override
    public List<ChatMessage> prompt(Batch batch, boolean strict) {
        StringBuilder user = new StringBuilder("Write documentation for these ").append(batch.items().size())
                .append(" declaration(s):\n\n");
        batch.items().forEach(item -> user.append(item.section()));
        return List.of(ChatMessage.system(strict ? SYSTEM + STRICT : SYSTEM), ChatMessage.user(user.toString()));
    }

    @Override
    public AnswerReading read(JsonNode json, Batch batch) {
        JsonNode list = json.isArray() ? json : null;
        if (list == null) {
            for (String name : new String[] {"docs", "documentation", "comments", "items"}) {
                JsonNode value = json.get(name);
                if (value != null) {
                    list = value.isArray() ? value : null;
                    break;
                }
            }
        }
        if (list == null) {
            return AnswerReading.unusable("expected a JSON object with a \"docs\" array");
        }
        Set<String> paths = batch.paths();
        Map<String, List<Finding>> accepted = new LinkedHashMap<>();
        List<String> rejected = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : list) {
            index++;
            if (!entry.isObject()) {
                rejected.add("entry " + index + " is not an object");
                continue;
            }
            String written = AnswerFields.text(entry, "path", "file_path", "file");
            String path = AnswerFields.path(written, paths);
            Integer line = AnswerFields.line(entry, "line", "line_number", "lineNumber");
            String comment = AnswerFields.text(entry, "comment", "doc", "docstring", "documentation", "text");
            if (path == null) {
                rejected.add("entry " + index + " names a path that is not in this request: " + written);
            } else if (line == null || !batch.answers(path, line)) {
                rejected.add("entry " + index + " names no declaration line of " + path + ": " + line);
            } else if (comment == null || DocCommentFormatter.clean(comment).isEmpty()) {
                rejected.add("entry " + index + " has no comment text");
            } else {
                accepted.computeIfAbsent(path, p -> new ArrayList<>())
                        .add(new Finding(PROPOSAL_RULE, path, line, Severity.INFO, DocCommentFormatter.clean(comment), null));
            }
        }
        return new AnswerReading(true, accepted, rejected);
    }

    @Override
    public FileOutcome finish(FilePlan<State> plan, List<Finding> proposals) {
        Map<Integer, String> byLine = new HashMap<>();
        for (Finding proposal : proposals) {
            byLine.putIfAbsent(proposal.line(), proposal.message());
        }
        List<Finding> inline = new ArrayList<>();
        List<Finding> summary = new ArrayList<>();
        State state = plan.state();
        FileToAnalyze file = plan.file();
        for (DocIssue issue : state.issues()) {
            int anchor = DocCommentFormatter.anchor(state.language(), issue);
            String proposed = byLine.get(anchor);
            String suggestion = proposed == null ? null
                    : DocCommentFormatter.suggestion(state.language(), issue, state.lines(), proposed);
            int endLine = anchor;
            if (suggestion != null) {
                int end = DocCommentFormatter.endLine(state.language(), issue);
                if (end > anchor && !file.isChanged(anchor, end)) {
                    // a range must lie in the diff to be commented on: without it, the proposal goes into the message
                    suggestion = null;
                } else {
                    endLine = end;
                }
            }
            Declaration d = issue.declaration();
            String subject = "public " + d.kind().label() + " `" + d.name() + "`";
            String message = issue.missing() ? "The " + subject + " has no documentation comment."
                    : "The documentation of the " + subject + " is " + issue.detail() + ".";
            if (proposed != null && suggestion == null) {
                message += "\n\nProposed documentation:\n\n" + proposed;
            }
            Finding finding = new Finding(issue.missing() ? "doc.missing" : "doc.poor", file.path(), anchor,
                    issue.missing() ? Severity.WARNING : Severity.INFO, message, suggestion).withEndLine(endLine);
            (file.isChanged(anchor, endLine) ? inline : summary).add(finding);
        }
        return new FileOutcome(inline, summary);
    }
}
