package dev.drep.scanner.webhook;

import dev.drep.core.platform.Platform;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies that a delivery comes from the platform, over the raw body bytes as received, in constant time:
 * Gitea {@code X-Gitea-Signature} (hex HMAC-SHA256 of the body), GitHub {@code X-Hub-Signature-256}
 * ({@code sha256=} and the hex HMAC-SHA256), GitLab {@code X-Gitlab-Token} (the secret itself).
 */
public final class WebhookSignatures {
    /** The header carrying the signature or token, per platform. */
    public static String header(Platform platform) {
        return switch (platform) {
            case GITEA -> "X-Gitea-Signature";
            case GITHUB -> "X-Hub-Signature-256";
            case GITLAB -> "X-Gitlab-Token";
        };
    }

    private WebhookSignatures() {
    }

    /**
     * @param provided the header's value, or null when absent
     * @return true when {@code provided} proves the sender knows {@code secret}
     */
    public static boolean verify(Platform platform, String secret, String provided, byte[] body) {
        if (provided == null || secret == null || secret.isEmpty()) {
            return false;
        }
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        return switch (platform) {
            case GITEA -> matchesHex(hmacSha256(key, body), provided.trim());
            case GITHUB -> {
                String value = provided.trim();
                yield value.regionMatches(true, 0, "sha256=", 0, 7) && matchesHex(hmacSha256(key, body), value.substring(7));
            }
            // comparing digests keeps the comparison constant-time even when the lengths differ
            case GITLAB -> MessageDigest.isEqual(sha256(key), sha256(provided.getBytes(StandardCharsets.UTF_8)));
        };
    }

    /** @return the hex HMAC-SHA256 of {@code body} under {@code secret} (what Gitea sends; GitHub prefixes {@code sha256=}) */
    public static String sign(String secret, byte[] body) {
        return HexFormat.of().formatHex(hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    private static boolean matchesHex(byte[] expected, String hex) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }

    static byte[] hmacSha256(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
