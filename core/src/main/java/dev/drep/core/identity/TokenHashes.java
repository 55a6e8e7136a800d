package dev.drep.core.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * drep's opaque bearer tokens: {@value #PREFIX} followed by 256 random bits (base64url), stored only as their SHA-256.
 * A fast hash is the right one here: the tokens are random, so there is nothing to guess that a slow hash would
 * protect, and every request looks one up. The prefix lets secret scanners recognise a leaked token and lets the
 * services tell drep's tokens from OIDC access tokens without parsing them.
 */
public final class TokenHashes {
    /** Every drep token starts with this. */
    public static final String PREFIX = "drep_";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Never used itself, only copied: a MessageDigest is not safe for concurrent use. */
    private static final MessageDigest SHA256 = sha256Prototype();

    private TokenHashes() {
    }

    /** @return a new random token */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** @return the lower-case hex SHA-256 of the token's UTF-8 bytes: what is stored and configured */
    public static String sha256(String token) {
        MessageDigest digest;
        try {
            // a copy of one looked-up instance: MessageDigest.getInstance searches the security providers on every
            // call, which was half of what checking a token cost
            digest = (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the runtime's SHA-256 cannot be copied", e);
        }
        return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256Prototype() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** @return whether two hex hashes are equal, compared in constant time */
    public static boolean sameHash(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** @return whether the text has the shape of a drep token (it may still be unknown, expired or revoked) */
    public static boolean isDrepToken(String token) {
        return token != null && token.startsWith(PREFIX) && token.length() > PREFIX.length();
    }
}
