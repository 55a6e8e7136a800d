package dev.drep.scanner.webhook;

import dev.drep.scanner.ScannerConfig;
import dev.drep.core.platform.Platform;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The webhook secret of each registered repository: HMAC-SHA256 of the repository id under the key
 * {@code drep.scanner.webhook.secret-key}. Every repository has its own secret, none is stored, and the
 * webhook URL names the repository ({@code /api/webhooks/{platform}/{repositoryId}}), so a delivery is
 * verified before its body is parsed or the database is read. The admin of one repository knows only
 * that repository's secret; the key never leaves the scanner.
 */
@ApplicationScoped
public class WebhookSecrets {
    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);
    /** Shorter keys could be guessed offline from one leaked repository secret. */
    static final int MIN_KEY_LENGTH = 32;
    private static final String PURPOSE = "drep webhook secret v1:";

    private final Optional<String> key;

    @Inject
    public WebhookSecrets(ScannerConfig config) {
        this(config.webhook().secretKey());
    }

    WebhookSecrets(Optional<String> configuredKey) {
        this.key = configuredKey.map(String::trim).filter(k -> !k.isEmpty());
        if (key.isPresent() && key.get().length() < MIN_KEY_LENGTH) {
            LOG.errorf("drep.scanner.webhook.secret-key (DREP_SCANNER_WEBHOOK_SECRET_KEY) has %d characters, fewer than %d: "
                    + "webhooks are refused until it is set to a longer random value (e.g. openssl rand -hex 32)",
                    key.get().length(), MIN_KEY_LENGTH);
        }
    }

    /** @return true when deliveries can be verified (a key of sufficient length is configured) */
    public boolean configured() {
        return key.isPresent() && key.get().length() >= MIN_KEY_LENGTH;
    }

    /** @return the webhook secret of the repository {@code repositoryId}, or empty when no usable key is configured */
    public Optional<String> secretFor(UUID repositoryId) {
        if (!configured()) {
            return Optional.empty();
        }
        byte[] mac = WebhookSignatures.hmacSha256(key.get().getBytes(StandardCharsets.UTF_8),
                (PURPOSE + repositoryId).getBytes(StandardCharsets.UTF_8));
        // URL-safe letters and digits only: pasted into a platform's form, it survives every copy
        return Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(mac));
    }

    /** @return the path a platform delivers to for the repository */
    public static String path(Platform platform, UUID repositoryId) {
        return "/api/webhooks/" + platform.id() + "/" + repositoryId;
    }

    /**
     * What to enter in the platform's webhook form.
     *
     * @param withSecret false to leave the secret out (listings)
     */
    public WebhookSetup setup(Platform platform, UUID repositoryId, boolean withSecret) {
        return new WebhookSetup(path(platform, repositoryId), withSecret ? secretFor(repositoryId).orElse(null) : null,
                configured(), WebhookSignatures.header(platform), "application/json");
    }
}
