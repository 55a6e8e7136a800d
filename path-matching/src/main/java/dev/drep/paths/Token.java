package dev.drep.paths;

/**
 * One step of a compiled pattern. Git's wildmatch reduces to four kinds of step once escapes, classes and
 * the position rules for {@code **} are resolved, which is what makes the automata small and exact.
 *
 * @param kind what the step matches
 * @param set the characters a {@link Kind#CHAR} step accepts; {@code null} for the other kinds
 */
record Token(Kind kind, CharSet set) {

    enum Kind {
        /** Exactly one character from {@link #set}: a literal, {@code ?} or a bracket expression. */
        CHAR,
        /** {@code *}: any run of characters other than {@code /}. */
        STAR,
        /** A {@code **} that may cross directories: any run of characters, slashes included. */
        ANY_STAR,
        /** A leading or middle {@code **}{@code /}: nothing, or any run of characters ending in {@code /}. */
        DIRECTORIES
    }

    static final Token STAR = new Token(Kind.STAR, null);
    static final Token ANY_STAR = new Token(Kind.ANY_STAR, null);
    static final Token DIRECTORIES = new Token(Kind.DIRECTORIES, null);
    static final Token SLASH = chars(CharSet.SLASH);

    static Token chars(CharSet set) {
        return new Token(Kind.CHAR, set);
    }
}
