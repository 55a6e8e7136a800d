package dev.drep.scanner.token;

/**
 * The answer to {@code POST /api/tokens}: the only time the token is shown.
 *
 * @param token   the bearer token; store it now, drep keeps only its hash
 * @param details what the token grants
 */
public record CreatedToken(String token, TokenView details) {
}
