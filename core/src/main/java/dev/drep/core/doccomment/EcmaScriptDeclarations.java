package dev.drep.core.doccomment;

import java.util.List;
import org.treesitter.TSLanguage;
import org.treesitter.TSNode;
import org.treesitter.TreeSitterJavascript;
import org.treesitter.TreeSitterTsx;
import org.treesitter.TreeSitterTypescript;

/**
 * Public JavaScript and TypeScript declarations (tree-sitter-javascript, -typescript, -tsx).
 *
 * <p>In an ES module (a file with at least one {@code export}) the public declarations are the
 * exported functions, classes and {@code const f = () => ...} / {@code function} expressions, and the
 * methods of exported classes that are not private ({@code #name}, {@code private}/{@code protected},
 * or a leading underscore). A file without any {@code export} (a script or a CommonJS module, whose
 * exports cannot be known without evaluating it) has all its top-level functions and classes
 * counted as public. Interfaces, type aliases, enums and overload signatures are not checked.
 * Only a JSDoc block ({@code /** ... *}/) directly above counts as documentation; {@code get}/{@code set}
 * accessors are checked whatever their size.
 */
final class EcmaScriptDeclarations extends TreeSitterDeclarations {

    EcmaScriptDeclarations(SourceLanguage language) {
        super(grammar(language), language.displayName());
    }

    private static TSLanguage grammar(SourceLanguage language) {
        return switch (language) {
            case TYPESCRIPT -> new TreeSitterTypescript();
            case TSX -> new TreeSitterTsx();
            default -> new TreeSitterJavascript();
        };
    }

    @Override
    void collect(TSNode root, Source source, List<Declaration> out) {
        List<TSNode> children = namedChildren(root);
        boolean module = children.stream().anyMatch(n -> "export_statement".equals(n.getType()));
        for (TSNode child : children) {
            if ("export_statement".equals(child.getType())) {
                TSNode declaration = field(child, "declaration");
                if (declaration != null) {
                    declaration(declaration, child, source, out);
                }
            } else if (!module) {
                declaration(child, child, source, out);
            }
        }
    }

    private void declaration(TSNode node, TSNode outer, Source source, List<Declaration> out) {
        switch (node.getType()) {
            case "function_declaration", "generator_function_declaration" -> {
                TSNode name = field(node, "name");
                add(Declaration.Kind.FUNCTION, name == null ? "default" : source.text(name), node, outer,
                        field(node, "body"), false, source, out);
            }
            case "class_declaration", "abstract_class_declaration" -> {
                TSNode name = field(node, "name");
                TSNode body = field(node, "body");
                add(Declaration.Kind.CLASS, name == null ? "default" : source.text(name), node, outer, body, false,
                        source, out);
                if (body != null) {
                    members(body, source, out);
                }
            }
            case "lexical_declaration", "variable_declaration" -> {
                for (TSNode declarator : namedChildren(node)) {
                    TSNode value = "variable_declarator".equals(declarator.getType()) ? field(declarator, "value") : null;
                    if (value != null && isFunction(value)) {
                        TSNode name = field(declarator, "name");
                        add(Declaration.Kind.FUNCTION, name == null ? "" : source.text(name), node, outer,
                                field(value, "body"), false, source, out);
                    }
                }
            }
            default -> {
                // interfaces, types, enums, overload signatures and statements are not checked
            }
        }
    }

    private static boolean isFunction(TSNode value) {
        String type = value.getType();
        return "arrow_function".equals(type) || "function_expression".equals(type) || "function".equals(type)
                || "generator_function".equals(type);
    }

    private void members(TSNode classBody, Source source, List<Declaration> out) {
        for (TSNode member : namedChildren(classBody)) {
            String type = member.getType();
            if (!"method_definition".equals(type) && !"abstract_method_signature".equals(type)) {
                continue; // fields, overload signatures, index signatures, static blocks
            }
            TSNode nameNode = field(member, "name");
            if (nameNode == null || "private_property_identifier".equals(nameNode.getType())) {
                continue;
            }
            String name = source.text(nameNode);
            if (name.startsWith("_") || hiddenByModifier(member, source)) {
                continue;
            }
            boolean accessor = hasToken(member, "get") || hasToken(member, "set");
            Declaration.Kind kind = "constructor".equals(name) ? Declaration.Kind.CONSTRUCTOR : Declaration.Kind.METHOD;
            // decorators of a member are its preceding siblings; the comment goes above them
            TSNode outer = member;
            TSNode previous = previousNamed(member);
            while (previous != null && "decorator".equals(previous.getType())) {
                outer = previous;
                previous = previousNamed(previous);
            }
            add(kind, name, member, outer, field(member, "body"), accessor, source, out);
        }
    }

    private static boolean hiddenByModifier(TSNode member, Source source) {
        for (TSNode child : namedChildren(member)) {
            if ("accessibility_modifier".equals(child.getType())) {
                String modifier = source.text(child);
                return "private".equals(modifier) || "protected".equals(modifier);
            }
        }
        return false;
    }

    private static void add(Declaration.Kind kind, String name, TSNode node, TSNode outer, TSNode body,
            boolean accessor, Source source, List<Declaration> out) {
        int start = firstLine(outer);
        int bodyStart = body == null ? 0 : firstLine(body);
        Declaration.DocComment doc = commentAbove(outer, source, text -> text.startsWith("/**"));
        out.add(new Declaration(kind, name, start, bodyStart > 0 ? bodyStart : lastLine(node), lastLine(node),
                bodyStart, accessor, doc, indent(source, start), ""));
    }
}
