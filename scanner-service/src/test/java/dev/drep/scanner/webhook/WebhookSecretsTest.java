package dev.drep.scanner.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.core.platform.Platform;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WebhookSecretsTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final UUID A = UUID.fromString("5b0c3f1e-8a44-4a0f-9d6e-2f1d7c9b8a01");
    private static final UUID B = UUID.fromString("5b0c3f1e-8a44-4a0f-9d6e-2f1d7c9b8a02");

    @Test
    void everyRepositoryHasItsOwnSecretAndEveryReplicaComputesTheSame() {
        String a = new WebhookSecrets(Optional.of(KEY)).secretFor(A).orElseThrow();
        assertThat(new WebhookSecrets(Optional.of(KEY)).secretFor(A)).as("another replica, or after a restart").contains(a);
        assertThat(new WebhookSecrets(Optional.of(KEY)).secretFor(B)).get().isNotEqualTo(a);
        assertThat(new WebhookSecrets(Optional.of(KEY + "x")).secretFor(A)).as("another key").get().isNotEqualTo(a);
        // 256 bits, in characters every platform's form and every shell take as they are
        assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void withoutAKeyOfAtLeast32CharactersNothingVerifies() {
        for (Optional<String> key : java.util.List.of(Optional.<String>empty(), Optional.of("   "), Optional.of(KEY.substring(0, 31)))) {
            WebhookSecrets secrets = new WebhookSecrets(key);
            assertThat(secrets.configured()).isFalse();
            assertThat(secrets.secretFor(A)).isEmpty();
            assertThat(secrets.setup(Platform.GITHUB, A, true).secretAvailable()).isFalse();
        }
        assertThat(new WebhookSecrets(Optional.of(KEY.substring(0, 32))).configured()).isTrue();
    }

    @Test
    void theSetupNamesTheRepositorysUrlAndThePlatformsHeader() {
        WebhookSecrets secrets = new WebhookSecrets(Optional.of(KEY));
        WebhookSetup gitlab = secrets.setup(Platform.GITLAB, A, true);
        assertThat(gitlab.path()).isEqualTo("/api/webhooks/gitlab/" + A);
        assertThat(gitlab.signatureHeader()).isEqualTo("X-Gitlab-Token");
        assertThat(gitlab.secret()).isEqualTo(secrets.secretFor(A).orElseThrow());
        assertThat(secrets.setup(Platform.GITEA, A, false).secret()).as("listings leave the secret out").isNull();
    }
}
