package dev.drep.core.feedback;

import dev.drep.core.command.CommandLine;
import dev.drep.core.command.CommandParser;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a reply in the thread of one of drep's inline findings explains why the code is right (docs/architecture.md,
 * "Justified findings"). Pure and deterministic, so a person can predict it and a test can state it:
 * <ul>
 *   <li>{@code /drep justified <reason>} (or {@code /drep justify}) on a line of its own is always a justification,
 *       when it gives a reason;</li>
 *   <li>a reply with another {@code /drep} command is a command, never a justification;</li>
 *   <li>a plain reply is one when, outside quotes and code, it says the code is meant to be so ("intentional", "on
 *       purpose", "by design", "false positive", "not a bug", "is safe", "can't happen", "already handled", ...) and
 *       does not say the code was or will be changed ("fixed", "will fix", "changed it").</li>
 * </ul>
 * A question, a thank-you or "good catch" is not a justification: those are the replies a bot must not take as
 * "do not raise this again".
 */
public record Justification(String reason, boolean explicit) {
    /** Replies longer than this are read only up to it. */
    static final int MAX_REPLY = 65_536;
    private static final List<String> WORDS = List.of("justified", "justify");
    private static final Pattern REASON = Pattern.compile("\\b(?:intentional(?:ly)?|on purpose|by design|as designed"
            + "|deliberate(?:ly)?|false positive|not (?:a|an) (?:bug|issue|problem|mistake|error)|not wrong"
            + "|(?:is|are|'s|'re) (?:fine|correct|safe|right|intended|expected|ok|okay|valid|needed|required)"
            + "|as intended|expected behaviou?r|works as expected|not needed|no need|unnecessary"
            + "|can(?:not|'t|’t| not) (?:happen|be null|be empty|be negative|occur)|never (?:null|empty|negative|happens?)"
            + "|(?:already|is) (?:handled|checked|validated|guarded|escaped)|won'?t fix|wontfix|required by|on our side"
            + "|keep (?:it|this) (?:as is|this way)|leave (?:it|this) as is)\\b");
    private static final Pattern CHANGED = Pattern.compile("\\b(?:fixed|fixing|will fix|i'll fix|gonna fix"
            + "|(?:changed|updated|removed|renamed) (?:it|this|that)|done in [0-9a-f]{7,40}|addressed)\\b");
    private static final Pattern QUOTE_OR_FENCE = Pattern.compile("(?m)^ {0,3}>.*$|(?s)```.*?(?:```|\\z)|`[^`\\n]*`");

    /**
     * @param reply the reply's markdown as the platform sent it
     * @return the justification, or empty when the reply is not one
     */
    public static Optional<Justification> of(String reply) {
        if (reply == null || reply.isBlank()) {
            return Optional.empty();
        }
        String text = reply.length() > MAX_REPLY ? reply.substring(0, MAX_REPLY) : reply;
        List<CommandLine> commands = CommandParser.all(text);
        if (!commands.isEmpty()) {
            CommandLine first = commands.get(0);
            return WORDS.contains(first.word()) && !first.arguments().isBlank()
                    ? Optional.of(new Justification(first.arguments().strip(), true)) : Optional.empty();
        }
        String prose = QUOTE_OR_FENCE.matcher(text).replaceAll(" ").toLowerCase(Locale.ROOT).replace('’', '\'');
        if (!REASON.matcher(prose).find() || CHANGED.matcher(prose).find()) {
            return Optional.empty();
        }
        return Optional.of(new Justification(text.strip(), false));
    }
}
