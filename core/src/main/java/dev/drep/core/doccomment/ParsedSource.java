package dev.drep.core.doccomment;

import java.util.List;

/** A source file's public declarations, or why it could not be parsed. */
public sealed interface ParsedSource {

    /** @param declarations the public declarations in file order */
    record Parsed(List<Declaration> declarations) implements ParsedSource {
        public Parsed {
            declarations = List.copyOf(declarations);
        }
    }

    /** @param error the parse error for a person, with its line */
    record Unparsable(String error) implements ParsedSource {
    }
}
