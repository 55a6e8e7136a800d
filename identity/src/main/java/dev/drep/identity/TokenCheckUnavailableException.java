package dev.drep.identity;

import io.quarkus.security.AuthenticationFailedException;

/**
 * Why an API token could not be checked: the scanner, which keeps the tokens, did not answer. The call is refused,
 * never admitted: the provider fails with an {@link AuthenticationFailedException} caused by this exception (the
 * former is final, and is what every failed authentication travels as), which the mappers answer with 503, not 401.
 */
public class TokenCheckUnavailableException extends RuntimeException {

    /** @param message what failed and what to do, never the token */
    public TokenCheckUnavailableException(String message) {
        super(message);
    }

    /** @return an authentication failure caused by this one */
    public static AuthenticationFailedException refusal(String message) {
        return new AuthenticationFailedException(message, new TokenCheckUnavailableException(message));
    }

    /** @return whether {@code failure} is a refusal because the token could not be checked (answered with 503) */
    public static boolean isCause(AuthenticationFailedException failure) {
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof TokenCheckUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
