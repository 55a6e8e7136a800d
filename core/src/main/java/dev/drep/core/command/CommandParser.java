package dev.drep.core.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SourceSpan;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Finds {@code /drep <command>} lines in a comment. A command is a line of a paragraph (at the top level or in a
 * list item) that starts with {@code /drep}; text in a fenced or indented code block, an HTML block or a
 * {@code >} quote is what someone showed or cited, never an order. The comment is parsed as CommonMark
 * (commonmark-java, as the markdown checks do) so "inside a code block" means what the platforms render.
 */
public final class CommandParser {
    /** Comments longer than this are read only up to it (GitHub's own limit is 65,536 characters). */
    static final int MAX_BODY = 262_144;
    private static final Pattern LINE = Pattern.compile("/drep(?:[ \\t]+(\\S+)(?:[ \\t]+(.*?))?)?[ \\t]*",
            Pattern.CASE_INSENSITIVE);
    private static final Parser PARSER = Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS).build();

    private CommandParser() {
    }

    /** @return the comment's first command, or empty when it gives none */
    public static Optional<CommandLine> first(String body) {
        List<CommandLine> all = all(body);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** @return every command line of the comment, in order */
    public static List<CommandLine> all(String body) {
        if (body == null || body.isBlank()) {
            return List.of();
        }
        String text = body.length() > MAX_BODY ? body.substring(0, MAX_BODY) : body;
        if (!text.toLowerCase(Locale.ROOT).contains("/drep")) {
            return List.of(); // most comments: no parse
        }
        String[] lines = text.split("\r\n|\r|\n", -1);
        List<CommandLine> found = new ArrayList<>();
        PARSER.parse(text).accept(new AbstractVisitor() {
            @Override
            public void visit(BlockQuote quote) {
                // quoted text is someone else's words
            }

            @Override
            public void visit(FencedCodeBlock code) {
            }

            @Override
            public void visit(IndentedCodeBlock code) {
            }

            @Override
            public void visit(HtmlBlock html) {
            }

            @Override
            public void visit(Paragraph paragraph) {
                for (SourceSpan span : paragraph.getSourceSpans()) {
                    if (span.getLineIndex() < lines.length) {
                        String line = lines[span.getLineIndex()];
                        int start = Math.min(span.getColumnIndex(), line.length());
                        int end = Math.min(start + span.getLength(), line.length());
                        command(line.substring(start, end).strip()).ifPresent(found::add);
                    }
                }
            }
        });
        return List.copyOf(found);
    }

    private static Optional<CommandLine> command(String line) {
        Matcher matcher = LINE.matcher(line);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String word = matcher.group(1) == null ? Command.HELP.word() : matcher.group(1).toLowerCase(Locale.ROOT);
        String arguments = matcher.group(2) == null ? "" : matcher.group(2).strip();
        return Optional.of(new CommandLine(Command.named(word).orElse(Command.UNKNOWN), word, arguments));
    }
}
