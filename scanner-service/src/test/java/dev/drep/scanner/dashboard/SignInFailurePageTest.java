package dev.drep.scanner.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The log line of a refused OIDC sign-in names the check that failed, not the person's claims. */
class SignInFailurePageTest {

    @Test
    void theRefusedTokensClaimsAreLeftOutAndTheFailedCheckKept() {
        String message = "ID token verification has failed: JWT (claims->{\"iss\":\"https://evil.test/realms/acme\","
                + "\"preferred_username\":\"mallory\",\"groups\":[\"drep-readers\"],\"exp\":1796550240}) rejected due to "
                + "invalid claims or other invalid content. Additional details: [[12] Issuer (iss) claim value "
                + "(https://evil.test/realms/acme) doesn't match expected value of https://idp.example/realms/acme]";
        assertThat(SignInFailurePage.withoutClaims(message))
                .startsWith("ID token verification has failed: JWT (claims not logged) rejected due to invalid claims")
                .contains("Issuer (iss) claim value (https://evil.test/realms/acme) doesn't match")
                .doesNotContain("mallory", "drep-readers");
        assertThat(SignInFailurePage.withoutClaims("State query parameter is missing"))
                .isEqualTo("State query parameter is missing");
    }
}
