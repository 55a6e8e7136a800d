package dev.drep.core.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a platform's answer up to a size limit ({@code drep.platform-access.max-response-size}), so that
 * a host answering without end cannot exhaust a service's memory.
 */
public final class ResponseLimit {
    private ResponseLimit() {
    }

    /**
     * @param body     the answer's body; read until its end or one byte past the limit, not closed
     * @param maxBytes the most bytes accepted
     * @param what     how messages name the request
     * @return the body's bytes
     * @throws TooLarge when the body has more than {@code maxBytes} bytes
     */
    public static byte[] read(InputStream body, long maxBytes, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        long total = 0;
        int n;
        while ((n = body.read(chunk)) != -1) {
            total += n;
            if (total > maxBytes) {
                throw new TooLarge(what, maxBytes);
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    /** @return a message for an answer over the limit */
    public static String message(String what, long maxBytes) {
        return what + ": the platform's answer is larger than " + maxBytes + " bytes, the limit set by "
                + HostRules.PREFIX + ".max-response-size; the answer was not read";
    }

    /** An answer over the limit. */
    public static final class TooLarge extends RuntimeException {
        public TooLarge(String what, long maxBytes) {
            super(message(what, maxBytes));
        }
    }
}
