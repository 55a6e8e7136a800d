package dev.drep.core.doccomment;

import java.util.List;
import org.treesitter.TSNode;
import org.treesitter.TreeSitterGo;

/**
 * Exported Go declarations (tree-sitter-go): functions and types whose names start with an upper-case
 * letter, and exported methods of exported receiver types. The doc comment is the block of
 * {@code //} (or {@code /* *}/) comments directly above the declaration, as {@code go doc} reads it;
 * inside a grouped {@code type ( ... )} the comment above each spec counts.
 */
final class GoDeclarations extends TreeSitterDeclarations {

    GoDeclarations() {
        super(new TreeSitterGo(), "Go");
    }

    @Override
    void collect(TSNode root, Source source, List<Declaration> out) {
        for (TSNode child : namedChildren(root)) {
            switch (child.getType()) {
                case "function_declaration" -> function(child, Declaration.Kind.FUNCTION, source, out);
                case "method_declaration" -> {
                    if (exported(receiverType(child, source))) {
                        function(child, Declaration.Kind.METHOD, source, out);
                    }
                }
                case "type_declaration" -> types(child, source, out);
                default -> {
                    // constants, variables and imports are not checked
                }
            }
        }
    }

    private static void function(TSNode node, Declaration.Kind kind, Source source, List<Declaration> out) {
        TSNode name = field(node, "name");
        if (name == null || !exported(source.text(name))) {
            return;
        }
        TSNode body = field(node, "body");
        int start = firstLine(node);
        int bodyStart = body == null ? 0 : firstLine(body);
        out.add(new Declaration(kind, source.text(name), start, bodyStart > 0 ? bodyStart : lastLine(node),
                lastLine(node), bodyStart, false, commentAbove(node, source, text -> true), indent(source, start), ""));
    }

    private static void types(TSNode declaration, Source source, List<Declaration> out) {
        List<TSNode> specs = namedChildren(declaration).stream()
                .filter(n -> "type_spec".equals(n.getType()) || "type_alias".equals(n.getType())).toList();
        boolean grouped = hasToken(declaration, "(");
        for (TSNode spec : specs) {
            TSNode name = field(spec, "name");
            if (name == null || !exported(source.text(name))) {
                continue;
            }
            TSNode anchor = grouped ? spec : declaration;
            int start = firstLine(anchor);
            Declaration.DocComment doc = commentAbove(anchor, source, text -> true);
            out.add(new Declaration(Declaration.Kind.TYPE, source.text(name), start, start, lastLine(spec), 0, false,
                    doc, indent(source, start), ""));
        }
    }

    private static String receiverType(TSNode method, Source source) {
        TSNode receiver = field(method, "receiver");
        if (receiver == null) {
            return "";
        }
        return firstTypeIdentifier(receiver, source);
    }

    private static String firstTypeIdentifier(TSNode node, Source source) {
        if ("type_identifier".equals(node.getType())) {
            return source.text(node);
        }
        for (TSNode child : namedChildren(node)) {
            String found = firstTypeIdentifier(child, source);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return "";
    }

    private static boolean exported(String name) {
        return !name.isEmpty() && Character.isUpperCase(name.codePointAt(0));
    }
}
