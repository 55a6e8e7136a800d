package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Body of the scanner's {@code POST /internal/tokens/introspect} (RFC 7662 token introspection, adapted): which API
 * token another drep service wants to know about. It carries the token's SHA-256, never the token, so the token
 * itself never travels further than the service it was presented to.
 *
 * @param tokenSha256 lower-case hex SHA-256 of the bearer token ({@code drep_...}) a caller presented
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenIntrospectionRequest(String tokenSha256) {
}
