package dev.drep.core.command;

/**
 * One {@code /drep} line of a comment.
 *
 * @param command   the command, {@link Command#UNKNOWN} when the word names none
 * @param word      the word after {@code /drep} as written, lower-cased ({@code help} when there was none)
 * @param arguments the rest of the line, trimmed (may be empty)
 */
public record CommandLine(Command command, String word, String arguments) {
}
