package dev.drep.core.markdown;

import dev.drep.contracts.Severity;
import java.util.Optional;

/**
 * The markdown rules of {@link MarkdownAnalyzer}: their stable ids (the {@code rule} of a
 * {@link dev.drep.contracts.Finding}), severities and one-line descriptions.
 *
 * <p>The ids are the ones the original drep used, so that existing ignore lists and dashboards keep
 * working.
 */
public enum MarkdownRule {
    /** spaces or tabs at the end of a line, other than the two spaces of a hard line break, outside code blocks (MD009) */
    TRAILING_WHITESPACE("md.trailing-whitespace", Severity.INFO, "Line ends with spaces or tabs"),
    /** a tab character outside code blocks and code spans (MD010 with {@code code_blocks: false}) */
    TAB("md.tab", Severity.INFO, "Tab character outside code"),
    /** an ATX heading made only of hashes */
    EMPTY_HEADING("md.empty-heading", Severity.INFO, "Heading without text"),
    /** a line starting with hashes directly followed by text, outside code and HTML blocks (MD018) */
    HEADING_SPACE("md.heading-space", Severity.INFO, "No space between the heading hashes and the text"),
    /** a line longer than {@link MarkdownAnalyzer#MAX_LINE_LENGTH} characters (MD013 with {@code line_length: 120}) */
    LINE_LENGTH("md.line-length", Severity.INFO, "Line longer than 120 characters"),
    /** three or more consecutive blank lines outside code blocks (MD012 with {@code maximum: 2}) */
    BLANK_LINES("md.blank-lines", Severity.INFO, "Three or more consecutive blank lines"),
    /** the file ends with a blank line (more than one newline at the end) */
    TRAILING_BLANK_LINE("md.trailing-blank-line", Severity.INFO, "File ends with a blank line"),
    /** an autolink literal (http(s) URL, www address, e-mail address) outside links, code and HTML (MD034) */
    BARE_URL("md.bare-url", Severity.INFO, "Bare URL outside a link, an autolink, code or HTML"),
    /** link syntax ({@code ](}) that the CommonMark parser did not take for a link, such as {@code [text](url} */
    UNBALANCED_BRACKETS("md.unbalanced-brackets", Severity.WARNING, "Link syntax that does not form a link"),
    /** a code fence that is opened and never closed */
    UNCLOSED_FENCE("md.unclosed-fence", Severity.WARNING, "Code fence opened and never closed");

    private final String id;
    private final Severity severity;
    private final String description;

    MarkdownRule(String id, Severity severity, String description) {
        this.id = id;
        this.severity = severity;
        this.description = description;
    }

    /** @return the stable rule id, e.g. {@code md.trailing-whitespace} */
    public String id() {
        return id;
    }

    /** @return the severity of every finding of this rule */
    public Severity severity() {
        return severity;
    }

    /** @return a one-line description of what the rule detects */
    public String description() {
        return description;
    }

    /** @return the rule with this id, or empty when {@code id} is not a markdown rule */
    public static Optional<MarkdownRule> byId(String id) {
        for (MarkdownRule rule : values()) {
            if (rule.id.equals(id)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }
}
