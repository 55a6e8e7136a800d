package dev.drep.core.doccomment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeclarationParsersTest {

    private static List<Declaration> parse(SourceLanguage language, String content) {
        ParsedSource parsed = DeclarationParser.of(language).parse(content);
        assertThat(parsed).isInstanceOf(ParsedSource.Parsed.class);
        return ((ParsedSource.Parsed) parsed).declarations();
    }

    private static String error(SourceLanguage language, String content) {
        ParsedSource parsed = DeclarationParser.of(language).parse(content);
        assertThat(parsed).isInstanceOf(ParsedSource.Unparsable.class);
        return ((ParsedSource.Unparsable) parsed).error();
    }

    @Test
    void javaPublicApiWithJavadocAndAnnotations() {
        String source = """
                package p;

                /** A documented service class. */
                public class Service {
                    /** TODO */
                    public int count() {
                        return 1;
                    }

                    @Deprecated
                    public void old(int x) {
                        x++;
                    }

                    @Override
                    public String toString() {
                        return "s";
                    }

                    private void hidden() {
                    }

                    public interface Listener {
                        void changed(String what);
                    }

                    static class Internal {
                        public void notApi() {
                        }
                    }
                }

                class PackagePrivate {
                    public void notApiEither() {
                    }
                }
                """;
        List<Declaration> declarations = parse(SourceLanguage.JAVA, source);
        assertThat(declarations).extracting(Declaration::kind, Declaration::name, Declaration::startLine)
                .containsExactly(tuple(Declaration.Kind.CLASS, "Service", 4), tuple(Declaration.Kind.METHOD, "count", 6),
                        tuple(Declaration.Kind.METHOD, "old", 10), tuple(Declaration.Kind.CLASS, "Listener", 23),
                        tuple(Declaration.Kind.METHOD, "changed", 24));
        assertThat(declarations.get(0).doc().text()).isEqualTo("A documented service class.");
        assertThat(declarations.get(1).doc().text()).isEqualTo("TODO");
        assertThat(declarations.get(1).doc().startLine()).isEqualTo(5);
        assertThat(declarations.get(2).doc()).isNull();
        assertThat(declarations.get(2).headerEndLine()).isEqualTo(11);
        assertThat(declarations.get(4).bodyStartLine()).isZero();
        assertThat(declarations.get(1).indent()).isEqualTo("    ");
    }

    @Test
    void modernJavaParsesWithRecordsSealedTypesSwitchPatternsAndVar() {
        String source = """
                package p;

                public sealed interface Shape permits Circle, Square {
                    double area();
                }

                /** A circle of the given radius. */
                public record Circle(double radius) implements Shape {
                    public double area() {
                        var r = radius;
                        return Math.PI * r * r;
                    }
                }

                public final class Square implements Shape {
                    public double area() {
                        Object self = this;
                        return switch (self) {
                            case Square s when s.hashCode() > 0 -> 1.0;
                            default -> { yield 2.0; }
                        };
                    }
                }
                """;
        assertThat(parse(SourceLanguage.JAVA, source)).extracting(Declaration::kind, Declaration::name)
                .containsExactly(tuple(Declaration.Kind.CLASS, "Shape"), tuple(Declaration.Kind.METHOD, "area"),
                        tuple(Declaration.Kind.CLASS, "Circle"), tuple(Declaration.Kind.METHOD, "area"),
                        tuple(Declaration.Kind.CLASS, "Square"), tuple(Declaration.Kind.METHOD, "area"));
    }

    @Test
    void javaSyntaxErrorsNameTheLine() {
        assertThat(error(SourceLanguage.JAVA, "public class A {\n  void m( {\n}\n")).startsWith("Java syntax error at line 2");
    }

    @Test
    void pythonFunctionsClassesAccessorsAndNestedHelpers() {
        String source = """
                import os


                def public(a, b):
                    \"\"\"Adds two numbers together.\"\"\"
                    return a + b


                def _private():
                    pass


                class Shape:
                    def area(self):
                        def helper():
                            return 1
                        return helper()

                    @property
                    def name(self):
                        return "s"

                    def __repr__(self):
                        return "Shape"


                class _Hidden:
                    def visible_name(self):
                        pass
                """;
        List<Declaration> declarations = parse(SourceLanguage.PYTHON, source);
        assertThat(declarations).extracting(Declaration::kind, Declaration::name, Declaration::accessor)
                .containsExactly(tuple(Declaration.Kind.FUNCTION, "public", false),
                        tuple(Declaration.Kind.CLASS, "Shape", false), tuple(Declaration.Kind.METHOD, "area", false),
                        tuple(Declaration.Kind.METHOD, "name", true));
        assertThat(declarations.get(0).doc().text()).isEqualTo("Adds two numbers together.");
        assertThat(declarations.get(3).startLine()).isEqualTo(19);
        assertThat(declarations.get(3).headerEndLine()).isEqualTo(20);
        assertThat(declarations.get(3).bodyIndent()).isEqualTo("        ");
    }

    @Test
    void pythonSyntaxErrorsNameTheLine() {
        assertThat(error(SourceLanguage.PYTHON, "def ok():\n    pass\n\ndef broken(:\n    pass\n"))
                .startsWith("Python syntax error at line 4");
    }

    @Test
    void goExportedFunctionsMethodsAndGroupedTypes() {
        String source = """
                package shapes

                // Area computes the area.
                func Area(w, h int) int {
                \treturn w * h
                }

                func helper() {}

                type (
                \t// Point is a point.
                \tPoint struct{ X, Y int }
                \tsize int
                \tLine struct{}
                )

                func (p *Point) Move(dx int) {
                \tp.X += dx
                }

                func (s size) Grow() {}
                """;
        List<Declaration> declarations = parse(SourceLanguage.GO, source);
        assertThat(declarations).extracting(Declaration::kind, Declaration::name)
                .containsExactly(tuple(Declaration.Kind.FUNCTION, "Area"), tuple(Declaration.Kind.TYPE, "Point"),
                        tuple(Declaration.Kind.TYPE, "Line"), tuple(Declaration.Kind.METHOD, "Move"));
        assertThat(declarations.get(0).doc().text()).isEqualTo("Area computes the area.");
        assertThat(declarations.get(1).doc().text()).isEqualTo("Point is a point.");
        assertThat(declarations.get(2).doc()).isNull();
        assertThat(declarations.get(3).doc()).isNull();
    }

    @Test
    void javascriptModulesCountExportsOnly() {
        String source = """
                /** Adds. */
                export function add(a, b) {
                  return a + b;
                }

                function internal() {}

                // not a JSDoc block
                export const twice = (x) => {
                  return x * 2;
                };

                export class Counter {
                  get value() { return this.n; }
                  #secret() {}
                  _hidden() {}
                  increment() {
                    this.n++;
                  }
                }
                """;
        List<Declaration> declarations = parse(SourceLanguage.JAVASCRIPT, source);
        assertThat(declarations).extracting(Declaration::kind, Declaration::name, Declaration::accessor)
                .containsExactly(tuple(Declaration.Kind.FUNCTION, "add", false),
                        tuple(Declaration.Kind.FUNCTION, "twice", false), tuple(Declaration.Kind.CLASS, "Counter", false),
                        tuple(Declaration.Kind.METHOD, "value", true), tuple(Declaration.Kind.METHOD, "increment", false));
        assertThat(declarations.get(0).doc().text()).isEqualTo("Adds.");
        assertThat(declarations.get(1).doc()).isNull();
    }

    @Test
    void javascriptScriptsCountTopLevelDeclarations() {
        List<Declaration> declarations = parse(SourceLanguage.JAVASCRIPT,
                "function main() {\n  run();\n}\nmodule.exports = { main };\n");
        assertThat(declarations).extracting(Declaration::name).containsExactly("main");
    }

    @Test
    void typescriptModifiersAndDecorators() {
        String source = """
                export abstract class Repo {
                  /** Finds one. */
                  @cached()
                  public find(id: string): string {
                    return id;
                  }
                  private load(): void {}
                  protected save(): void {}
                  abstract remove(id: string): void;
                }

                export interface NotChecked { a: number }
                """;
        List<Declaration> declarations = parse(SourceLanguage.TYPESCRIPT, source);
        assertThat(declarations).extracting(Declaration::name).containsExactly("Repo", "find", "remove");
        assertThat(declarations.get(1).startLine()).isEqualTo(3);
        assertThat(declarations.get(1).doc().text()).isEqualTo("Finds one.");
        assertThat(declarations.get(2).bodyStartLine()).isZero();
    }

    @Test
    void tsxParses() {
        List<Declaration> declarations = parse(SourceLanguage.TSX,
                "export function View(props: { name: string }) {\n  return <div>{props.name}</div>;\n}\n");
        assertThat(declarations).extracting(Declaration::name).containsExactly("View");
    }

    @Test
    void ecmascriptAndGoSyntaxErrorsNameTheLine() {
        assertThat(error(SourceLanguage.JAVASCRIPT, "export function f( {\n")).startsWith("JavaScript syntax error at line 1");
        assertThat(error(SourceLanguage.GO, "package p\n\nfunc F( {\n}\n")).startsWith("Go syntax error at line 3");
    }
}
