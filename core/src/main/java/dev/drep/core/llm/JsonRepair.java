package dev.drep.core.llm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Repairs the JSON that language models commonly break: prose before or after it, single-quoted
 * strings, unquoted keys and words, Python literals, comments, trailing commas, a missing closing
 * brace before a bracket, and output cut off in the middle. One pass, no backtracking.
 *
 * <p>Output that was cut off is closed at the last complete member or element of the innermost open
 * object or array: a half-written finding is dropped rather than guessed, and {@link Result#truncated()}
 * says that something was lost.
 */
final class JsonRepair {

    /**
     * @param text      the repaired JSON text (may still be invalid when the input was hopeless)
     * @param truncated true when the input ended inside an object, array or string
     * @param changes   what was repaired, for logs
     */
    record Result(String text, boolean truncated, List<String> changes) {
    }

    private enum Expect { KEY, COLON, VALUE, AFTER }

    private static final class Frame {
        final char open;
        Expect expect;
        int safeLength;

        Frame(char open, int safeLength) {
            this.open = open;
            this.expect = open == '{' ? Expect.KEY : Expect.VALUE;
            this.safeLength = safeLength;
        }
    }

    private JsonRepair() {
    }

    /** @return the repaired text starting at the first '{' or '[' of {@code input}, or null if there is none */
    static Result repair(String input) {
        int start = firstStructural(input);
        if (start < 0) {
            return null;
        }
        StringBuilder out = new StringBuilder(input.length() + 16);
        List<String> changes = new ArrayList<>();
        Deque<Frame> stack = new ArrayDeque<>();
        int i = start;
        int n = input.length();
        boolean done = false;
        while (i < n && !done) {
            char c = input.charAt(i);
            if (c == '"' || c == '\'') {
                int end = readString(input, i, out, changes);
                if (end < 0) {
                    // cut off inside a string: what follows is the repair below
                    return close(out, stack, changes, true);
                }
                i = end;
                afterString(stack, out);
                continue;
            }
            if (c == '/' && i + 1 < n && (input.charAt(i + 1) == '/' || input.charAt(i + 1) == '*')) {
                i = skipComment(input, i);
                changes.add("removed a comment");
                continue;
            }
            switch (c) {
                case '{', '[' -> {
                    out.append(c);
                    stack.push(new Frame(c, out.length()));
                    i++;
                }
                case '}', ']' -> {
                    char open = c == '}' ? '{' : '[';
                    if (stack.stream().noneMatch(f -> f.open == open)) {
                        changes.add("dropped a stray '" + c + "'");
                        i++;
                        continue;
                    }
                    while (stack.peek().open != open) {
                        Frame inner = stack.pop();
                        closeFrame(out, inner, changes);
                        changes.add("closed an unbalanced '" + inner.open + "'");
                        completeValue(stack, out);
                    }
                    Frame frame = stack.pop();
                    closeFrame(out, frame, changes);
                    i++;
                    if (stack.isEmpty()) {
                        done = true;
                    } else {
                        completeValue(stack, out);
                    }
                }
                case ':' -> {
                    out.append(c);
                    if (!stack.isEmpty()) {
                        stack.peek().expect = Expect.VALUE;
                    }
                    i++;
                }
                case ',' -> {
                    out.append(c);
                    if (!stack.isEmpty()) {
                        Frame frame = stack.peek();
                        frame.expect = frame.open == '{' ? Expect.KEY : Expect.VALUE;
                    }
                    i++;
                }
                default -> {
                    if (Character.isWhitespace(c)) {
                        out.append(c);
                        i++;
                    } else {
                        i = readWord(input, i, out, stack, changes);
                    }
                }
            }
        }
        if (!stack.isEmpty()) {
            return close(out, stack, changes, true);
        }
        if (done && i < n && !input.substring(i).isBlank()) {
            changes.add("ignored text after the JSON");
        }
        return new Result(out.toString(), false, changes);
    }

    private static int firstStructural(String input) {
        int brace = input.indexOf('{');
        int bracket = input.indexOf('[');
        if (brace < 0) {
            return bracket;
        }
        return bracket < 0 ? brace : Math.min(brace, bracket);
    }

    /** Copies a string literal as a double-quoted JSON string; returns the index after it, or -1 if it never ends. */
    private static int readString(String input, int i, StringBuilder out, List<String> changes) {
        char quote = input.charAt(i);
        if (quote == '\'') {
            changes.add("turned a single-quoted string into a double-quoted one");
        }
        StringBuilder literal = new StringBuilder("\"");
        int j = i + 1;
        while (j < input.length()) {
            char c = input.charAt(j);
            if (c == '\\' && j + 1 < input.length()) {
                char next = input.charAt(j + 1);
                if (next == '\'' && quote == '\'') {
                    literal.append('\'');
                } else {
                    literal.append(c).append(next);
                }
                j += 2;
                continue;
            }
            if (c == quote) {
                literal.append('"');
                out.append(literal);
                return j + 1;
            }
            if (c == '"') {
                literal.append("\\\"");
            } else if (c == '\n') {
                literal.append("\\n");
            } else if (c == '\r') {
                literal.append("\\r");
            } else if (c == '\t') {
                literal.append("\\t");
            } else {
                literal.append(c);
            }
            j++;
        }
        return -1;
    }

    private static void afterString(Deque<Frame> stack, StringBuilder out) {
        if (stack.isEmpty()) {
            return;
        }
        Frame frame = stack.peek();
        if (frame.open == '{' && frame.expect == Expect.KEY) {
            frame.expect = Expect.COLON;
        } else {
            frame.expect = Expect.AFTER;
            frame.safeLength = out.length();
        }
    }

    private static void completeValue(Deque<Frame> stack, StringBuilder out) {
        Frame parent = stack.peek();
        parent.expect = Expect.AFTER;
        parent.safeLength = out.length();
    }

    private static int skipComment(String input, int i) {
        if (input.charAt(i + 1) == '/') {
            int end = input.indexOf('\n', i);
            return end < 0 ? input.length() : end;
        }
        int end = input.indexOf("*/", i + 2);
        return end < 0 ? input.length() : end + 2;
    }

    private static int readWord(String input, int i, StringBuilder out, Deque<Frame> stack, List<String> changes) {
        int j = i;
        while (j < input.length() && isWordChar(input.charAt(j))) {
            j++;
        }
        if (j == i) {
            changes.add("dropped a stray '" + input.charAt(i) + "'");
            return i + 1;
        }
        String word = input.substring(i, j);
        Frame frame = stack.peek();
        if (frame != null && frame.open == '{' && frame.expect == Expect.KEY) {
            out.append('"').append(word).append('"');
            frame.expect = Expect.COLON;
            changes.add("quoted the key " + word);
            return j;
        }
        out.append(literal(word, changes));
        if (frame != null) {
            frame.expect = Expect.AFTER;
            frame.safeLength = out.length();
        }
        return j;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '+' || c == '.' || c == '$';
    }

    private static String literal(String word, List<String> changes) {
        switch (word) {
            case "true", "false", "null" -> {
                return word;
            }
            case "True", "TRUE" -> {
                changes.add("turned " + word + " into true");
                return "true";
            }
            case "False", "FALSE" -> {
                changes.add("turned " + word + " into false");
                return "false";
            }
            case "None", "undefined", "NaN", "nil" -> {
                changes.add("turned " + word + " into null");
                return "null";
            }
            default -> {
                if (word.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
                    return word;
                }
                changes.add("quoted the bare word " + word.toLowerCase(Locale.ROOT));
                return '"' + word + '"';
            }
        }
    }

    private static void closeFrame(StringBuilder out, Frame frame, List<String> changes) {
        int end = out.length();
        while (end > 0 && Character.isWhitespace(out.charAt(end - 1))) {
            end--;
        }
        if (end > 0 && out.charAt(end - 1) == ',') {
            out.setLength(end - 1);
            changes.add("removed a trailing comma");
        } else if (frame.open == '{' && frame.expect != Expect.KEY && frame.expect != Expect.AFTER) {
            // "key" or "key": without a value: cut back to the last complete member
            out.setLength(frame.safeLength);
            trimComma(out);
            changes.add("dropped a member without a value");
        }
        out.append(frame.open == '{' ? '}' : ']');
    }

    private static Result close(StringBuilder out, Deque<Frame> stack, List<String> changes, boolean truncated) {
        Frame innermost = stack.peek();
        out.setLength(Math.min(out.length(), innermost.safeLength));
        trimComma(out);
        while (!stack.isEmpty()) {
            Frame frame = stack.pop();
            trimComma(out);
            out.append(frame.open == '{' ? '}' : ']');
        }
        changes.add("closed output that was cut off");
        return new Result(out.toString(), truncated, changes);
    }

    private static void trimComma(StringBuilder out) {
        int end = out.length();
        while (end > 0 && Character.isWhitespace(out.charAt(end - 1))) {
            end--;
        }
        if (end > 0 && out.charAt(end - 1) == ',') {
            end--;
        }
        out.setLength(end);
    }
}
