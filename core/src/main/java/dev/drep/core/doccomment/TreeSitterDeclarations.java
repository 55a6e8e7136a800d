package dev.drep.core.doccomment;

import dev.drep.core.llm.SourceLines;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.treesitter.TSLanguage;
import org.treesitter.TSNode;
import org.treesitter.TSParser;
import org.treesitter.TSTree;

/**
 * Shared plumbing of the tree-sitter based parsers: parsing (a file with any ERROR or MISSING node is
 * reported as unparsable with the first such node's position), node text and line helpers.
 * tree-sitter's {@link TSParser} is not thread-safe, so each parse uses its own; the language object
 * is immutable and shared.
 */
abstract class TreeSitterDeclarations implements DeclarationParser {
    private final TSLanguage language;
    private final String languageName;

    TreeSitterDeclarations(TSLanguage language, String languageName) {
        this.language = language;
        this.languageName = languageName;
    }

    /** A parsed file: its UTF-8 bytes (tree-sitter's offsets) and its lines. */
    record Source(byte[] utf8, SourceLines lines) {
        String text(TSNode node) {
            return new String(utf8, node.getStartByte(), node.getEndByte() - node.getStartByte(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public final ParsedSource parse(String content) {
        try (TSParser parser = new TSParser()) {
            parser.setLanguage(language);
            TSTree tree = parser.parseString(null, content);
            try {
                TSNode root = tree.getRootNode();
                if (root.hasError()) {
                    return new ParsedSource.Unparsable(describeError(root));
                }
                List<Declaration> declarations = new ArrayList<>();
                collect(root, new Source(content.getBytes(StandardCharsets.UTF_8), SourceLines.of(content)),
                        declarations);
                return new ParsedSource.Parsed(declarations);
            } finally {
                tree.close();
            }
        }
    }

    /** Adds the public declarations under {@code root} in file order. */
    abstract void collect(TSNode root, Source source, List<Declaration> out);

    private String describeError(TSNode root) {
        TSNode bad = firstError(root);
        if (bad == null) {
            return languageName + " syntax error";
        }
        int line = bad.getStartPoint().getRow() + 1;
        int column = bad.getStartPoint().getColumn() + 1;
        if (bad.isMissing()) {
            return languageName + " syntax error at line " + line + ", column " + column + ": missing '"
                    + bad.getType() + "'";
        }
        return languageName + " syntax error at line " + line + ", column " + column + ": unexpected input";
    }

    private static TSNode firstError(TSNode node) {
        if (node.isError() || node.isMissing()) {
            return node;
        }
        if (!node.hasError()) {
            return null;
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            TSNode found = firstError(node.getChild(i));
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    static int firstLine(TSNode node) {
        return node.getStartPoint().getRow() + 1;
    }

    /** The last line with text of the node (a node that ends at column 0 ends on the line before). */
    static int lastLine(TSNode node) {
        int row = node.getEndPoint().getRow();
        if (node.getEndPoint().getColumn() == 0 && row > node.getStartPoint().getRow()) {
            return row;
        }
        return row + 1;
    }

    static List<TSNode> namedChildren(TSNode node) {
        List<TSNode> children = new ArrayList<>(node.getNamedChildCount());
        for (int i = 0; i < node.getNamedChildCount(); i++) {
            children.add(node.getNamedChild(i));
        }
        return children;
    }

    /** @return whether one of the node's anonymous children is the token {@code token} */
    static boolean hasToken(TSNode node, String token) {
        for (int i = 0; i < node.getChildCount(); i++) {
            TSNode child = node.getChild(i);
            if (!child.isNamed() && token.equals(child.getType())) {
                return true;
            }
        }
        return false;
    }

    static TSNode field(TSNode node, String name) {
        TSNode child = node.getChildByFieldName(name);
        return child == null || child.isNull() ? null : child;
    }

    static TSNode previousNamed(TSNode node) {
        TSNode previous = node.getPrevNamedSibling();
        return previous == null || previous.isNull() ? null : previous;
    }

    /**
     * The comment block directly above {@code node}: consecutive comment siblings, the last one ending
     * on the line before the node's first line (or on the same line).
     *
     * @param accept which comments count (e.g. only {@code /**} for JSDoc)
     */
    static Declaration.DocComment commentAbove(TSNode node, Source source, java.util.function.Predicate<String> accept) {
        TSNode previous = previousNamed(node);
        int expectedEnd = firstLine(node) - 1;
        List<String> parts = new ArrayList<>();
        int start = -1;
        int end = -1;
        while (previous != null && "comment".equals(previous.getType()) && lastLine(previous) >= expectedEnd
                && lastLine(previous) <= expectedEnd + 1) {
            String text = source.text(previous);
            if (!accept.test(text)) {
                break;
            }
            parts.add(0, text);
            start = firstLine(previous);
            if (end < 0) {
                end = lastLine(previous);
            }
            expectedEnd = firstLine(previous) - 1;
            previous = previousNamed(previous);
        }
        if (parts.isEmpty()) {
            return null;
        }
        return new Declaration.DocComment(commentText(String.join("\n", parts)), start, end);
    }

    /** Removes comment markers ({@code /** *}/, {@code *}, {@code //}, {@code #}) and collapses whitespace. */
    static String commentText(String raw) {
        StringBuilder text = new StringBuilder();
        for (String line : raw.split("\r?\n")) {
            String l = line.strip();
            if (l.startsWith("/**")) {
                l = l.substring(3);
            } else if (l.startsWith("/*")) {
                l = l.substring(2);
            } else if (l.startsWith("//")) {
                l = l.substring(2);
            }
            if (l.endsWith("*/")) {
                l = l.substring(0, l.length() - 2);
            }
            l = l.strip();
            if (l.startsWith("*")) {
                l = l.substring(1);
            }
            text.append(l.strip()).append(' ');
        }
        return text.toString().replaceAll("\\s+", " ").strip();
    }

    static String indent(Source source, int line) {
        return JavaDeclarations.indent(source.lines(), line);
    }
}
