package dev.drep.core.doccomment;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.AnnotationDeclaration;
import com.github.javaparser.ast.body.AnnotationMemberDeclaration;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.comments.JavadocComment;
import com.github.javaparser.ast.nodeTypes.NodeWithJavadoc;
import dev.drep.core.llm.SourceLines;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Public Java declarations, parsed with JavaParser (language level Java 25): public top-level types,
 * public members of public types (every non-private member of an interface or annotation type),
 * public constructors and methods. Methods annotated {@code @Override} are left out: their
 * documentation is inherited. Local and anonymous classes are never visited.
 */
public final class JavaDeclarations implements DeclarationParser {

    @Override
    public ParsedSource parse(String content) {
        // a JavaParser instance keeps state while parsing: one per call keeps this class thread-safe
        JavaParser parser = new JavaParser(new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_25));
        ParseResult<CompilationUnit> result = parser.parse(content);
        if (!result.isSuccessful() || result.getResult().isEmpty()) {
            return new ParsedSource.Unparsable(describe(result.getProblems()));
        }
        SourceLines lines = SourceLines.of(content);
        List<Declaration> declarations = new ArrayList<>();
        for (TypeDeclaration<?> type : result.getResult().get().getTypes()) {
            visitType(type, false, lines, declarations);
        }
        return new ParsedSource.Parsed(declarations);
    }

    private static String describe(List<Problem> problems) {
        if (problems.isEmpty()) {
            return "Java syntax error";
        }
        Problem first = problems.get(0);
        String where = first.getLocation().flatMap(location -> location.getBegin().getRange())
                .map(range -> " at line " + range.begin.line + ", column " + range.begin.column).orElse("");
        String message = first.getMessage().lines().findFirst().orElse("syntax error").strip();
        return "Java syntax error" + where + ": " + message;
    }

    private void visitType(TypeDeclaration<?> type, boolean insideInterface, SourceLines lines, List<Declaration> out) {
        if (!type.isPublic() && !insideInterface) {
            return; // members of a type that is not public are not public API
        }
        int start = line(type);
        int headerEnd = type.getName().getRange().map(r -> r.end.line).orElse(start);
        out.add(new Declaration(Declaration.Kind.CLASS, type.getNameAsString(), start, headerEnd, endLine(type),
                headerEnd, false, doc(type), indent(lines, start), ""));
        boolean isInterface = type instanceof AnnotationDeclaration
                || type instanceof ClassOrInterfaceDeclaration c && c.isInterface();
        for (BodyDeclaration<?> member : type.getMembers()) {
            if (member instanceof TypeDeclaration<?> nested) {
                visitType(nested, isInterface, lines, out);
            } else if (member instanceof MethodDeclaration method) {
                boolean visible = method.isPublic() || isInterface && !method.isPrivate();
                if (visible && method.getAnnotationByName("Override").isEmpty()) {
                    int methodStart = line(method);
                    int bodyStart = method.getBody().flatMap(Node::getBegin).map(p -> p.line).orElse(0);
                    out.add(new Declaration(Declaration.Kind.METHOD, method.getNameAsString(), methodStart,
                            bodyStart > 0 ? bodyStart : endLine(method), endLine(method), bodyStart, false,
                            doc(method), indent(lines, methodStart), ""));
                }
            } else if (member instanceof ConstructorDeclaration constructor && constructor.isPublic()) {
                int constructorStart = line(constructor);
                int bodyStart = constructor.getBody().getBegin().map(p -> p.line).orElse(constructorStart);
                out.add(new Declaration(Declaration.Kind.CONSTRUCTOR, constructor.getNameAsString(), constructorStart,
                        bodyStart, endLine(constructor), bodyStart, false, doc(constructor),
                        indent(lines, constructorStart), ""));
            } else if (member instanceof AnnotationMemberDeclaration element) {
                int elementStart = line(element);
                out.add(new Declaration(Declaration.Kind.METHOD, element.getNameAsString(), elementStart,
                        endLine(element), endLine(element), 0, false, doc(element), indent(lines, elementStart), ""));
            }
        }
    }

    private static Declaration.DocComment doc(NodeWithJavadoc<?> node) {
        Optional<JavadocComment> javadoc = node.getJavadocComment();
        if (javadoc.isEmpty()) {
            return null;
        }
        JavadocComment comment = javadoc.get();
        String text = comment.parse().toText().replaceAll("\\s+", " ").strip();
        int start = comment.getBegin().map(p -> p.line).orElse(0);
        int end = comment.getEnd().map(p -> p.line).orElse(start);
        return new Declaration.DocComment(text, start, end);
    }

    private static int line(Node node) {
        return node.getBegin().map(p -> p.line).orElse(1);
    }

    private static int endLine(Node node) {
        return node.getEnd().map(p -> p.line).orElse(line(node));
    }

    static String indent(SourceLines lines, int line) {
        if (line < 1 || line > lines.count()) {
            return "";
        }
        String text = lines.line(line);
        int i = 0;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return text.substring(0, i);
    }
}
