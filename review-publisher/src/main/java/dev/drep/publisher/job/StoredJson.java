package dev.drep.publisher.job;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The publisher's stored JSON columns (plans, reviews, results): read back, or written, failing loudly. */
final class StoredJson {
    private StoredJson() {
    }

    static <T> T read(ObjectMapper json, String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (Exception e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is unreadable: " + e.getMessage(), e);
        }
    }

    static String write(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
