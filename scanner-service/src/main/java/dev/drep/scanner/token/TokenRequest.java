package dev.drep.scanner.token;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Body of {@code POST /api/tokens}.
 *
 * @param name       what the token is for (required), e.g. {@code ci-reviews}
 * @param scopes     its scopes (required, at least one; see {@link dev.drep.identity.Scopes})
 * @param repository restricts the token to one repository, {@code owner/name} (optional)
 * @param expiresIn  lifetime as an ISO-8601 duration ({@code P90D}, {@code PT12H}) or days ({@code 90d}); optional,
 *                   no expiry when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenRequest(String name, List<String> scopes, String repository, String expiresIn) {
}
