package dev.drep.core.doccomment;

/** Finds the public declarations of one language in a source file. Implementations are thread-safe. */
public interface DeclarationParser {

    /** @return the declarations, or the parse error */
    ParsedSource parse(String content);

    /** @return the parser for {@code language} */
    static DeclarationParser of(SourceLanguage language) {
        return switch (language) {
            case JAVA -> new JavaDeclarations();
            case PYTHON -> new PythonDeclarations();
            case JAVASCRIPT, TYPESCRIPT, TSX -> new EcmaScriptDeclarations(language);
            case GO -> new GoDeclarations();
        };
    }
}
