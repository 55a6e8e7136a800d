package dev.drep.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading the fields of one entry of a model's JSON answer, tolerant of the usual variations
 * (synonymous field names, numbers sent as text, diff prefixes on paths) and strict about the rest.
 */
public final class AnswerFields {
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*[Ll]?(?:ine)?\\s*(\\d{1,9})\\b");

    private AnswerFields() {
    }

    /**
     * @return the first of {@code names} present as text or a number, as text; null when none is
     *         (a field present with another type, e.g. an object, counts as absent)
     */
    public static String text(JsonNode entry, String... names) {
        for (String name : names) {
            JsonNode value = entry.get(name);
            if (value != null && (value.isTextual() || value.isNumber())) {
                return value.asText();
            }
        }
        return null;
    }

    /** @return the first of {@code names} present as a positive line number (also {@code "12"}, {@code "12-14"}), or null */
    public static Integer line(JsonNode entry, String... names) {
        for (String name : names) {
            JsonNode value = entry.get(name);
            if (value == null) {
                continue;
            }
            if (value.isIntegralNumber() && value.canConvertToInt()) {
                return value.intValue() > 0 ? value.intValue() : null;
            }
            if (value.isFloatingPointNumber() && value.doubleValue() == Math.rint(value.doubleValue())
                    && value.doubleValue() > 0 && value.doubleValue() < Integer.MAX_VALUE) {
                return (int) value.doubleValue();
            }
            if (value.isTextual()) {
                Matcher m = LEADING_NUMBER.matcher(value.asText());
                if (m.find()) {
                    int line = Integer.parseInt(m.group(1));
                    return line > 0 ? line : null;
                }
            }
            return null;
        }
        return null;
    }

    /**
     * Matches a path the model wrote against the paths of the request: exact, or after removing a
     * leading {@code ./}, {@code /}, or a diff prefix {@code a/} / {@code b/}.
     *
     * @return the request's path, or null when it names none of them
     */
    public static String path(String written, Set<String> known) {
        if (written == null) {
            return null;
        }
        String path = written.trim().replace('\\', '/');
        if (known.contains(path)) {
            return path;
        }
        for (String prefix : new String[] {"./", "/", "a/", "b/"}) {
            if (path.startsWith(prefix) && known.contains(path.substring(prefix.length()))) {
                return path.substring(prefix.length());
            }
        }
        return null;
    }

    /** @return {@code text} cut to {@code max} characters with a visible ellipsis */
    public static String bounded(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
