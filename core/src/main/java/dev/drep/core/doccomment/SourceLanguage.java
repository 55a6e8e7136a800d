package dev.drep.core.doccomment;

import java.util.Locale;
import java.util.Optional;

/** The languages whose documentation comments drep checks, recognised by file extension. */
public enum SourceLanguage {
    JAVA("Java"),
    PYTHON("Python"),
    JAVASCRIPT("JavaScript"),
    TYPESCRIPT("TypeScript"),
    TSX("TypeScript (TSX)"),
    GO("Go");

    private final String displayName;

    SourceLanguage(String displayName) {
        this.displayName = displayName;
    }

    /** @return the language's name for people and prompts */
    public String displayName() {
        return displayName;
    }

    /** @return the language of {@code path}, or empty when drep has no doc-comment parser for it */
    public static Optional<SourceLanguage> of(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        String name = lower.substring(lower.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1);
        return Optional.ofNullable(switch (extension) {
            case "java" -> JAVA;
            case "py" -> PYTHON;
            case "js", "jsx", "mjs", "cjs" -> JAVASCRIPT;
            case "ts", "mts", "cts" -> TYPESCRIPT;
            case "tsx" -> TSX;
            case "go" -> GO;
            default -> null;
        });
    }
}
