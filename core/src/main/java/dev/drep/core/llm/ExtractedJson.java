package dev.drep.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The JSON found in a model's answer, or why there is none. */
public sealed interface ExtractedJson {

    /** How the JSON was found. */
    enum Method {
        /** inside a fenced code block */
        FENCED,
        /** the whole answer was JSON */
        DIRECT,
        /** a JSON value between other text */
        EMBEDDED,
        /** only after repairs */
        REPAIRED
    }

    /**
     * JSON was found.
     *
     * @param json      the value (an object or an array)
     * @param method    how it was found
     * @param truncated true when the answer was cut off and closed by the repair: part of it is lost
     * @param repairs   what had to be repaired (empty unless {@code method} is {@link Method#REPAIRED})
     */
    record Found(JsonNode json, Method method, boolean truncated, List<String> repairs) implements ExtractedJson {
        public Found {
            repairs = List.copyOf(repairs);
        }
    }

    /**
     * No usable JSON.
     *
     * @param reason for a person, e.g. {@code the answer contains no JSON}
     */
    record Unusable(String reason) implements ExtractedJson {
    }
}
