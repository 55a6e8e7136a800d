package dev.drep.core.doccomment;

/**
 * A public declaration found by a {@link DeclarationParser}.
 *
 * @param kind           what it is
 * @param name           its name
 * @param startLine      first line, decorators and annotations included (where a comment before it goes)
 * @param headerEndLine  last line of its signature (Python: the line ending with the colon)
 * @param endLine        last line of the whole declaration
 * @param bodyStartLine  the line where its body begins, or 0 when it has none (abstract, interface, signature)
 * @param accessor       a property-like accessor ({@code @property}, {@code get x()}, ...), checked whatever its size
 * @param doc            its documentation comment, or null
 * @param indent         the indentation of {@code startLine}
 * @param bodyIndent     the indentation of the first body line (where a Python docstring goes)
 */
public record Declaration(Kind kind, String name, int startLine, int headerEndLine, int endLine, int bodyStartLine,
        boolean accessor, DocComment doc, String indent, String bodyIndent) {

    /** What a declaration is. */
    public enum Kind {
        CLASS("class"), FUNCTION("function"), METHOD("method"), CONSTRUCTOR("constructor"), TYPE("type");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** @return the word people use, e.g. {@code method} */
        public String label() {
            return label;
        }
    }

    /** @return lines from start to end */
    public int lineCount() {
        return endLine - startLine + 1;
    }

    /**
     * A documentation comment.
     *
     * @param text      the text without comment markers, whitespace collapsed
     * @param startLine its first line
     * @param endLine   its last line
     */
    public record DocComment(String text, int startLine, int endLine) {
    }
}
