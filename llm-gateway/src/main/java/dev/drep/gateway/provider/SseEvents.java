package dev.drep.gateway.provider;

import java.util.function.Consumer;

/**
 * Reads server-sent events line by line (the WHATWG format OpenAI streams in) and hands on the {@code data} of
 * each event: {@code data:} lines are joined with newlines and dispatched at a blank line; comments
 * ({@code :...}) and the {@code event}, {@code id} and {@code retry} fields are skipped. Plain Java.
 */
public final class SseEvents {

    private final Consumer<String> sink;
    private StringBuilder data;

    /** @param sink receives each event's {@code data} */
    public SseEvents(Consumer<String> sink) {
        this.sink = sink;
    }

    /** @param line one line, without its line ending ({@code \r} left by a CRLF ending is dropped) */
    public void line(String line) {
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        if (!"data".equals(field)) {
            return;
        }
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (data == null) {
            data = new StringBuilder(value);
        } else {
            data.append('\n').append(value);
        }
    }

    /** Dispatches an event the stream ended in without its closing blank line. */
    public void end() {
        dispatch();
    }

    private void dispatch() {
        if (data != null) {
            String event = data.toString();
            data = null;
            sink.accept(event);
        }
    }
}
