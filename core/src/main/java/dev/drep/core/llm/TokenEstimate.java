package dev.drep.core.llm;

/**
 * Token counts estimated before a call: about four characters per token, OpenAI's rule of thumb for
 * English and code. Used to pack batches and to reserve against a job's ceiling; the answer's
 * {@code usage} replaces the estimate afterwards.
 */
public final class TokenEstimate {
    private TokenEstimate() {
    }

    /** @return the estimated tokens of {@code text}, at least 1 for non-empty text */
    public static int of(CharSequence text) {
        return text == null || text.length() == 0 ? 0 : (text.length() + 3) / 4;
    }
}
