package dev.drep.scanner.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.core.platform.Platform;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {
    private static final String SECRET = "It's a Secret to Everybody";
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    /** GitHub's documented test vector for this secret and payload. */
    private static final String GITHUB_VECTOR = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void githubSignatureIsSha256PrefixedHexHmacOfTheRawBody() {
        assertThat(WebhookSignatures.sign(SECRET, BODY)).isEqualTo(GITHUB_VECTOR);
        assertThat(WebhookSignatures.verify(Platform.GITHUB, SECRET, "sha256=" + GITHUB_VECTOR, BODY)).isTrue();
        assertThat(WebhookSignatures.verify(Platform.GITHUB, SECRET, "sha256=" + GITHUB_VECTOR.toUpperCase(), BODY)).isTrue();
        assertThat(WebhookSignatures.verify(Platform.GITHUB, SECRET, GITHUB_VECTOR, BODY)).as("no prefix").isFalse();
        assertThat(WebhookSignatures.verify(Platform.GITHUB, SECRET, "sha1=" + GITHUB_VECTOR, BODY)).isFalse();
        assertThat(WebhookSignatures.verify(Platform.GITHUB, "other secret", "sha256=" + GITHUB_VECTOR, BODY)).isFalse();
        assertThat(WebhookSignatures.verify(Platform.GITHUB, SECRET, "sha256=" + GITHUB_VECTOR,
                "Hello, World! ".getBytes(StandardCharsets.UTF_8))).as("body changed by one byte").isFalse();
    }

    @Test
    void giteaSignatureIsTheBareHexHmac() {
        assertThat(WebhookSignatures.verify(Platform.GITEA, SECRET, GITHUB_VECTOR, BODY)).isTrue();
        assertThat(WebhookSignatures.verify(Platform.GITEA, SECRET, "sha256=" + GITHUB_VECTOR, BODY)).isFalse();
        assertThat(WebhookSignatures.verify(Platform.GITEA, SECRET, "not hex at all", BODY)).isFalse();
        assertThat(WebhookSignatures.verify(Platform.GITEA, SECRET, GITHUB_VECTOR.substring(2), BODY)).as("truncated").isFalse();
    }

    @Test
    void gitlabTokenIsTheSecretItself() {
        assertThat(WebhookSignatures.verify(Platform.GITLAB, SECRET, SECRET, BODY)).isTrue();
        assertThat(WebhookSignatures.verify(Platform.GITLAB, SECRET, SECRET + " ", BODY)).isFalse();
        assertThat(WebhookSignatures.verify(Platform.GITLAB, SECRET, SECRET.substring(1), BODY)).isFalse();
        assertThat(WebhookSignatures.verify(Platform.GITLAB, SECRET, GITHUB_VECTOR, BODY)).isFalse();
    }

    @Test
    void aMissingHeaderOrSecretNeverVerifies() {
        for (Platform platform : Platform.values()) {
            assertThat(WebhookSignatures.verify(platform, SECRET, null, BODY)).isFalse();
            assertThat(WebhookSignatures.verify(platform, "", "", BODY)).isFalse();
            assertThat(WebhookSignatures.verify(platform, null, SECRET, BODY)).isFalse();
        }
    }
}
