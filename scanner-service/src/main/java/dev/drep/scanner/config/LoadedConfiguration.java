package dev.drep.scanner.config;

import java.util.List;

/**
 * The configuration that applies, and notes for the review's summary (why a file was ignored as invalid).
 *
 * @param configuration what applies (the defaults when the file is missing or invalid)
 * @param notes         for the reader of the review; empty when all is well
 */
public record LoadedConfiguration(RepositoryConfiguration configuration, List<String> notes) {
    public LoadedConfiguration {
        notes = List.copyOf(notes);
    }
}
