package dev.drep.core.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandParserTest {

    @Test
    void aCommandAtTheStartOfALineIsFoundWithItsArguments() {
        Optional<CommandLine> found = CommandParser.first("Thanks for the fixes!\n/drep review please\nbye");

        assertThat(found).contains(new CommandLine(Command.REVIEW, "review", "please"));
    }

    @Test
    void theCommandWordIsCaseInsensitiveAndSurroundingSpaceIsAllowed() {
        assertThat(CommandParser.first("  /DREP   Pause  ")).contains(new CommandLine(Command.PAUSE, "pause", ""));
        assertThat(CommandParser.first("/drep resume")).map(CommandLine::command).contains(Command.RESUME);
        assertThat(CommandParser.first("/drep help")).map(CommandLine::command).contains(Command.HELP);
    }

    @Test
    void anUnknownCommandIsReportedByItsWord() {
        assertThat(CommandParser.first("/drep frobnicate now")).contains(new CommandLine(Command.UNKNOWN, "frobnicate", "now"));
    }

    @Test
    void askTakesTheRestOfItsLineAsTheQuestion() {
        assertThat(CommandParser.first("/drep ask why  is this safe?")).contains(new CommandLine(Command.ASK, "ask",
                "why  is this safe?"));
        assertThat(CommandParser.first("/drep ask")).contains(new CommandLine(Command.ASK, "ask", ""));
    }

    @Test
    void describeIsACommand() {
        assertThat(CommandParser.first("/drep describe")).map(CommandLine::command).contains(Command.DESCRIBE);
        assertThat(CommandParser.first("> /drep describe")).isEmpty();
    }

    @Test
    void drepAloneAsksForHelp() {
        assertThat(CommandParser.first("/drep")).map(CommandLine::command).contains(Command.HELP);
    }

    @Test
    void aCommandInsideAFencedCodeBlockIsNotACommand() {
        assertThat(CommandParser.first("Run this:\n\n```\n/drep review\n```\n")).isEmpty();
        assertThat(CommandParser.first("~~~text\n/drep pause\n~~~")).isEmpty();
    }

    @Test
    void aCommandInsideAnIndentedCodeBlockIsNotACommand() {
        assertThat(CommandParser.first("Example:\n\n    /drep review\n")).isEmpty();
    }

    @Test
    void aQuotedCommandIsNotACommand() {
        assertThat(CommandParser.first("> /drep pause\n\nI would not do that.")).isEmpty();
        assertThat(CommandParser.first("> > /drep review")).isEmpty();
    }

    @Test
    void aCommandInTheMiddleOfALineOrInCodeSpanIsNotACommand() {
        assertThat(CommandParser.first("you could say /drep review here")).isEmpty();
        assertThat(CommandParser.first("`/drep review`")).isEmpty();
        assertThat(CommandParser.first("/drepreview")).isEmpty();
    }

    @Test
    void theFirstCommandOfACommentIsTheOneRunAndTheOthersAreCounted() {
        String body = "/drep pause\n\n/drep review\n";

        assertThat(CommandParser.first(body)).map(CommandLine::command).contains(Command.PAUSE);
        assertThat(CommandParser.all(body)).extracting(CommandLine::command).containsExactly(Command.PAUSE, Command.REVIEW);
    }

    @Test
    void aCommandInAListItemOrAfterQuotedTextCounts() {
        assertThat(CommandParser.first("> you said\n\n/drep resume")).map(CommandLine::command).contains(Command.RESUME);
        assertThat(CommandParser.first("- /drep help")).map(CommandLine::command).contains(Command.HELP);
    }

    @Test
    void aWindowsLineEndingDoesNotHideACommand() {
        assertThat(CommandParser.first("hello\r\n/drep review\r\n")).map(CommandLine::command).contains(Command.REVIEW);
    }

    @Test
    void emptyAndMissingBodiesHoldNoCommand() {
        assertThat(CommandParser.first(null)).isEmpty();
        assertThat(CommandParser.first("")).isEmpty();
    }
}
