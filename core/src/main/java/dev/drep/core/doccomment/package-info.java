/**
 * Documentation-comment checks of public declarations, without Quarkus.
 *
 * <p>Parsers ({@link DeclarationParser}): Java with JavaParser ({@link JavaDeclarations}); Python,
 * JavaScript, TypeScript (and TSX) and Go with tree-sitter grammars ({@link PythonDeclarations},
 * {@link EcmaScriptDeclarations}, {@link GoDeclarations}). Each reports only the declarations that are
 * public by its language's convention, with their documentation comment if any.
 * {@link DocCommentRules} decides which of them lack documentation or have a poor one, on changed
 * lines only; {@link DocCommentTask} asks the model for the missing text and
 * {@link DocCommentFormatter} turns it into a suggestion in the language's comment syntax.
 */
package dev.drep.core.doccomment;
