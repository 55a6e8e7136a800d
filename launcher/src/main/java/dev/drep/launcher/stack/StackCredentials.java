package dev.drep.launcher.stack;

import dev.drep.core.identity.TokenHashes;

/**
 * The tokens of one local stack, made when it starts: the admin token the launcher itself uses (and {@code drep up}
 * keeps in {@code <data>/admin-token}, readable by the user only), and the service tokens of the scanner, the analyzer,
 * the gateway and the publisher (the last two ask the scanner what API tokens grant).
 * Services get the tokens they send in their environment and only the SHA-256 of the tokens they accept on their
 * command line, so {@code ps} shows no secret.
 *
 * @param admin    the stack's admin token
 * @param scanner  the scanner's service token (accepted by the review-publisher)
 * @param analyzer  the analyzer's service token (accepted by the LLM gateway)
 * @param gateway   the gateway's service token (accepted by the scanner's token introspection)
 * @param publisher the publisher's service token (accepted by the scanner's token introspection)
 */
public record StackCredentials(String admin, String scanner, String analyzer, String gateway, String publisher) {

    /** @return new random tokens */
    public static StackCredentials generate() {
        return new StackCredentials(TokenHashes.newToken(), TokenHashes.newToken(), TokenHashes.newToken(),
                TokenHashes.newToken(), TokenHashes.newToken());
    }

    @Override
    public String toString() {
        return "StackCredentials[tokens hidden]";
    }
}
