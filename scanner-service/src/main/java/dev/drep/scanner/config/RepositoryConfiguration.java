package dev.drep.scanner.config;

import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.VerifyMode;
import dev.drep.paths.IgnoreRules;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A repository's review settings from {@code .drep.yaml} on the base commit.
 *
 * @param ignore       ignore globs (gitignore syntax), layered over the defaults and {@code .gitignore}
 * @param instructions per-path instructions for LLM analyzers, in file order
 * @param analyzers    the analyzers switched on; empty means all
 * @param publish      minimum severity posted inline, inline comment limit, failing severity
 * @param maxLlmTokens LLM tokens one review (job) may spend ({@code max-llm-tokens}), or null to leave the
 *                     analyzer's ceiling alone; it can only lower that ceiling, never raise it
 * @param verify       what becomes of the model's findings the verifier does not confirm ({@code verify})
 */
public record RepositoryConfiguration(IgnoreRules ignore, List<PathInstruction> instructions,
        Optional<Set<String>> analyzers, PublishSettings publish, Long maxLlmTokens, VerifyMode verify) {

    /** No file, or an invalid one: nothing extra ignored, no instructions, every analyzer, default publishing. */
    public static final RepositoryConfiguration DEFAULTS =
            new RepositoryConfiguration(IgnoreRules.NONE, List.of(), Optional.empty(), PublishSettings.DEFAULTS, null,
                    VerifyMode.FOLD);

    public RepositoryConfiguration {
        instructions = List.copyOf(instructions);
        analyzers = analyzers.map(Set::copyOf);
        verify = verify == null ? VerifyMode.FOLD : verify;
    }

    /** @return the instructions of every entry matching {@code path}, separated by blank lines, or null */
    public String instructionsFor(String path) {
        StringBuilder text = new StringBuilder();
        for (PathInstruction instruction : instructions) {
            if (instruction.appliesTo(path)) {
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                text.append(instruction.text());
            }
        }
        return text.isEmpty() ? null : text.toString();
    }

    /** @return true when {@code analyzer} may run */
    public boolean analyzerEnabled(String analyzer) {
        return analyzers.map(set -> set.contains(analyzer)).orElse(true);
    }
}
