package dev.drep.scanner.fetch;

import dev.drep.core.platform.Platform;
import java.util.Optional;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * HTTP basic credentials for git over HTTPS, with the token as the password. The provider lives only in
 * memory for one fetch: nothing is written to the mirror's configuration or remote URL.
 */
public final class GitCredentials {
    private GitCredentials() {
    }

    /** @return the user name the platform expects next to a token ({@link Platform#gitUsername()}) */
    public static String username(Platform platform) {
        return platform.gitUsername();
    }

    /** @return credentials for {@code token}, or null for anonymous access when there is no token */
    public static CredentialsProvider provider(Platform platform, Optional<String> token) {
        return token.map(t -> (CredentialsProvider) new UsernamePasswordCredentialsProvider(username(platform), t))
                .orElse(null);
    }
}
