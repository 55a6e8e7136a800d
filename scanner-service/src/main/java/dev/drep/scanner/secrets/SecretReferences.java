package dev.drep.scanner.secrets;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * Resolves secret references (webhook secrets, platform tokens) to their values. drep stores only the
 * names; the values live in configuration: property {@code drep.secrets.<name>} or environment variable
 * {@code DREP_SECRETS_<NAME>} (upper case, {@code -} as {@code _}), which Kubernetes fills from Secrets.
 * Values are read on every use, so a rotated secret applies without a restart where the config source
 * allows it, and they are never logged or put into messages.
 */
@ApplicationScoped
public class SecretReferences {
    /** Lower-case letters, digits and single hyphens: maps one-to-one onto an environment variable name. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    /** The publisher resolves the same names and accepts at most 64 characters. */
    private static final int MAX_NAME_LENGTH = 64;

    private final Config config;

    public SecretReferences(Config config) {
        this.config = config;
    }

    /** @return true when {@code name} can be used as a reference */
    public static boolean isValidName(String name) {
        return name != null && name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
    }

    /** @return the environment variable that holds the secret {@code name}, for messages to operators */
    public static String environmentVariable(String name) {
        return "DREP_SECRETS_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** @return the secret's value, or empty when the reference is not configured (or blank) */
    public Optional<String> resolve(String name) {
        if (!isValidName(name)) {
            return Optional.empty();
        }
        return config.getOptionalValue("drep.secrets." + name, String.class).filter(v -> !v.isBlank());
    }

    /** @return true when the reference resolves to a value */
    public boolean isConfigured(String name) {
        return resolve(name).isPresent();
    }
}
