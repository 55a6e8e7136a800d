package dev.drep.core.llm;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the JSON in a language model's answer, in this order: a fenced code block, the whole answer,
 * a JSON value embedded in prose, and finally a repair of common breakage ({@link JsonRepair}:
 * trailing commas, single quotes, unquoted keys, unbalanced braces and brackets, output cut off).
 * Thread-safe; no Quarkus.
 */
public final class JsonAnswerExtractor {
    private static final Pattern FENCE = Pattern.compile("```+[ \\t]*([A-Za-z0-9_+-]*)[^\\n]*\\n");
    private static final int MAX_EMBEDDED_ATTEMPTS = 20;

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper PREFIX = JsonMapper.builder().build();
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_JAVA_COMMENTS,
                    JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS,
                    JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER,
                    JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .build();

    private final int maxChars;

    /** @param maxChars answers longer than this are refused without parsing (a runaway or hostile answer) */
    public JsonAnswerExtractor(int maxChars) {
        this.maxChars = maxChars;
    }

    /** @return the JSON found in {@code answer}, or why there is none */
    public ExtractedJson extract(String answer) {
        if (answer == null || answer.isBlank()) {
            return new ExtractedJson.Unusable("the answer was empty");
        }
        if (answer.length() > maxChars) {
            return new ExtractedJson.Unusable("the answer has " + answer.length()
                    + " characters, over the limit of " + maxChars);
        }
        String fenced = null;
        Matcher fence = FENCE.matcher(answer);
        while (fence.find()) {
            int from = fence.end();
            int close = answer.indexOf("```", from);
            String body = close < 0 ? answer.substring(from) : answer.substring(from, close);
            String trimmed = body.trim();
            if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
                JsonNode parsed = parse(STRICT, trimmed);
                if (isContainer(parsed)) {
                    return new ExtractedJson.Found(parsed, ExtractedJson.Method.FENCED, false, List.of());
                }
                if (fenced == null) {
                    fenced = body;
                }
            }
            if (close < 0) {
                break;
            }
            fence.region(close + 3, answer.length());
        }
        String trimmed = answer.trim();
        JsonNode direct = parse(STRICT, trimmed);
        if (isContainer(direct)) {
            return new ExtractedJson.Found(direct, ExtractedJson.Method.DIRECT, false, List.of());
        }
        JsonNode embedded = embedded(answer, '{');
        if (embedded == null) {
            embedded = embedded(answer, '[');
        }
        if (embedded != null) {
            return new ExtractedJson.Found(embedded, ExtractedJson.Method.EMBEDDED, false, List.of());
        }
        JsonRepair.Result repaired = JsonRepair.repair(fenced != null ? fenced : answer);
        if (repaired == null) {
            return new ExtractedJson.Unusable("the answer contains no JSON");
        }
        JsonNode fixed = parse(LENIENT, repaired.text());
        if (!isContainer(fixed)) {
            return new ExtractedJson.Unusable("the answer's JSON is broken beyond repair");
        }
        return new ExtractedJson.Found(fixed, ExtractedJson.Method.REPAIRED, repaired.truncated(), repaired.changes());
    }

    /**
     * Tries each '{' (or '[') that is not inside an earlier, unclosed bracket as the start of a
     * complete JSON value followed by anything. Starts inside an unclosed bracket are skipped: they
     * would pick an inner object out of broken JSON, which is the repair's job.
     */
    private static JsonNode embedded(String answer, char open) {
        int attempts = 0;
        for (int from : topLevelStarts(answer, open)) {
            if (attempts++ >= MAX_EMBEDDED_ATTEMPTS) {
                break;
            }
            JsonNode parsed = parse(PREFIX, answer.substring(from));
            if (isContainer(parsed) && !parsed.isEmpty()) {
                return parsed;
            }
        }
        return null;
    }

    /** Positions of {@code open} at bracket depth 0, brackets inside double-quoted strings ignored. */
    private static List<Integer> topLevelStarts(String text, char open) {
        List<Integer> starts = new java.util.ArrayList<>();
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"' && depth > 0) {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (depth == 0 && c == open) {
                    starts.add(i);
                }
                depth++;
            } else if (c == '}' || c == ']') {
                depth = Math.max(0, depth - 1);
            }
        }
        return starts;
    }

    private static boolean isContainer(JsonNode node) {
        return node != null && (node.isObject() || node.isArray());
    }

    private static JsonNode parse(ObjectMapper mapper, String text) {
        try {
            return mapper.readTree(text);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
