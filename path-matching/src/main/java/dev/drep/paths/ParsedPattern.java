package dev.drep.paths;

import java.util.List;

/**
 * A pattern line after git's parsing: the flags git derives from it and the steps of its direct match,
 * relative to the directory of the file that holds it.
 *
 * @param negated the line started with {@code !}
 * @param directoryOnly the pattern ended with {@code /}, so it matches directories only
 * @param basenameOnly the pattern has no {@code /} other than a trailing one, so it matches the last path
 *     segment at any depth; its steps start with {@link Token#DIRECTORIES} to say so
 * @param tokens the steps that must consume the whole relative path
 */
record ParsedPattern(boolean negated, boolean directoryOnly, boolean basenameOnly, List<Token> tokens) {}
