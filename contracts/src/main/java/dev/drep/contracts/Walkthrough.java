package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What a pull request changes, as the {@code describe} analyzer got it from the model: the text is the model's, so
 * it is untrusted data that the publisher makes safe before posting it.
 *
 * @param overview what the change does, in a few sentences; empty when the model gave none
 * @param files    one line per changed file the model described, in path order
 * @param unlisted changed files without a line (over the walkthrough's budget, or the model said nothing of them),
 *                 in path order
 * @param note     drep's own word on the walkthrough for the reader (why it is missing or partial), or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Walkthrough(String overview, List<FileLine> files, List<String> unlisted, String note) {
    public Walkthrough {
        overview = overview == null ? "" : overview;
        files = files == null ? List.of() : List.copyOf(files);
        unlisted = unlisted == null ? List.of() : List.copyOf(unlisted);
    }

    /**
     * One changed file and what its change does.
     *
     * @param path the file's path at head
     * @param line the model's line about it
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FileLine(String path, String line) {
    }

    /** @return a walkthrough without the model's text: only drep's {@code note} and the files */
    public static Walkthrough withoutModel(String note, List<String> unlisted) {
        return new Walkthrough("", List.of(), unlisted, note);
    }
}
