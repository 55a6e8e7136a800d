package dev.drep.core.doccomment;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.treesitter.TSNode;
import org.treesitter.TreeSitterPython;

/**
 * Public Python declarations (tree-sitter-python): module-level functions and classes and the
 * methods of public classes whose names do not start with an underscore (so dunder methods are left
 * to the class docstring). Functions nested in functions are never visited; neither are definitions
 * inside {@code if}/{@code try} blocks at module level. {@code @property} (and its setter/deleter),
 * {@code @cached_property}, {@code @classmethod} and {@code @staticmethod} mark accessors, which are
 * checked whatever their size.
 */
final class PythonDeclarations extends TreeSitterDeclarations {
    private static final Set<String> ACCESSOR_DECORATORS = Set.of("property", "cached_property",
            "functools.cached_property", "classmethod", "staticmethod", "abc.abstractproperty");
    private static final Pattern DOCSTRING = Pattern.compile("(?s)^[rRuUbBfF]*(\"\"\"|'''|\"|')(.*?)(\\1)?$");

    PythonDeclarations() {
        super(new TreeSitterPython(), "Python");
    }

    @Override
    void collect(TSNode root, Source source, List<Declaration> out) {
        visitBlock(root, source, out, false);
    }

    private void visitBlock(TSNode block, Source source, List<Declaration> out, boolean inClass) {
        for (TSNode child : namedChildren(block)) {
            TSNode definition = child;
            TSNode outer = child;
            boolean accessor = false;
            if ("decorated_definition".equals(child.getType())) {
                definition = field(child, "definition");
                for (TSNode decorator : namedChildren(child)) {
                    if ("decorator".equals(decorator.getType())) {
                        accessor |= isAccessor(source.text(decorator));
                    }
                }
                if (definition == null) {
                    continue;
                }
            }
            String type = definition.getType();
            if (!"function_definition".equals(type) && !"class_definition".equals(type)) {
                continue;
            }
            TSNode nameNode = field(definition, "name");
            String name = nameNode == null ? "" : source.text(nameNode);
            if (name.isEmpty() || name.startsWith("_")) {
                continue;
            }
            boolean isClass = "class_definition".equals(type);
            out.add(declaration(definition, outer, name, isClass ? Declaration.Kind.CLASS
                    : inClass ? Declaration.Kind.METHOD : Declaration.Kind.FUNCTION, accessor, source));
            if (isClass) {
                TSNode body = field(definition, "body");
                if (body != null) {
                    visitBlock(body, source, out, true);
                }
            }
        }
    }

    private static boolean isAccessor(String decorator) {
        String name = decorator.strip().substring(1).strip();
        int paren = name.indexOf('(');
        if (paren >= 0) {
            name = name.substring(0, paren);
        }
        return ACCESSOR_DECORATORS.contains(name) || name.endsWith(".setter") || name.endsWith(".getter")
                || name.endsWith(".deleter");
    }

    private static Declaration declaration(TSNode definition, TSNode outer, String name, Declaration.Kind kind,
            boolean accessor, Source source) {
        TSNode body = field(definition, "body");
        int start = firstLine(outer);
        int headerEnd = colonLine(definition, start);
        int bodyStart = body == null ? 0 : firstLine(body);
        String indent = indent(source, firstLine(definition));
        String bodyIndent = bodyStart > headerEnd ? indent(source, bodyStart) : indent + "    ";
        return new Declaration(kind, name, start, headerEnd, lastLine(definition), bodyStart, accessor,
                docstring(body, source), indent, bodyIndent);
    }

    /** The line of the ':' that ends the header (a signature may span lines). */
    private static int colonLine(TSNode definition, int fallback) {
        int line = fallback;
        for (int i = 0; i < definition.getChildCount(); i++) {
            TSNode child = definition.getChild(i);
            if (!child.isNamed() && ":".equals(child.getType())) {
                line = firstLine(child);
            }
        }
        return line;
    }

    private static Declaration.DocComment docstring(TSNode body, Source source) {
        if (body == null || body.getNamedChildCount() == 0) {
            return null;
        }
        TSNode first = body.getNamedChild(0);
        if (!"expression_statement".equals(first.getType()) || first.getNamedChildCount() == 0) {
            return null;
        }
        TSNode string = first.getNamedChild(0);
        if (!"string".equals(string.getType())) {
            return null;
        }
        return new Declaration.DocComment(docstringText(source.text(string)), firstLine(string), lastLine(string));
    }

    static String docstringText(String literal) {
        Matcher m = DOCSTRING.matcher(literal.strip());
        String text = m.matches() ? m.group(2) : literal;
        return text.replaceAll("\\s+", " ").strip();
    }
}
