package dev.drep.publisher.platform;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * Resolves a {@code PullRequestRef.tokenRef} to the token it names: configuration property
 * {@code drep.secrets.<tokenRef>}, or environment variable {@code DREP_SECRETS_<TOKENREF>} (upper case,
 * every character other than a letter or digit as {@code _}), which is how Kubernetes Secrets are
 * mounted. Plans carry only the name, so a token never travels over AMQP or sits in the database.
 */
@ApplicationScoped
public class TokenResolver {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Config config;

    public TokenResolver(Config config) {
        this.config = config;
    }

    /**
     * @return the token named {@code tokenRef}
     * @throws PlatformException ({@link PlatformException.Kind#FAILED}) naming the property and variable to set
     */
    public String resolve(String tokenRef) {
        if (tokenRef == null || !NAME.matcher(tokenRef).matches()) {
            throw PlatformException.failed("tokenRef must be 1-64 letters, digits, '.', '_' or '-', starting with a"
                    + " letter or digit");
        }
        return config.getOptionalValue("drep.secrets." + tokenRef, String.class)
                .filter(token -> !token.isBlank())
                .orElseThrow(() -> PlatformException.failed("no token is configured for tokenRef '" + tokenRef
                        + "': set drep.secrets." + tokenRef + " (environment variable " + envName(tokenRef) + ")"));
    }

    /** @return the environment variable MicroProfile Config reads {@code drep.secrets.<tokenRef>} from */
    static String envName(String tokenRef) {
        return ("DREP_SECRETS_" + tokenRef).replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
