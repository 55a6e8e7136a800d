package dev.drep.scanner.fetch;

import dev.drep.scanner.repository.Platform;
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

    /**
     * The user name each platform expects next to a token: GitHub {@code x-access-token} (installation and
     * personal tokens), GitLab {@code oauth2} (OAuth tokens need it; personal and project tokens accept
     * any name), Gitea any name (current releases take the password as the token and ignore the name).
     */
    public static String username(Platform platform) {
        return switch (platform) {
            case GITHUB -> "x-access-token";
            case GITLAB -> "oauth2";
            case GITEA -> "drep";
        };
    }

    /** @return credentials for {@code token}, or null for anonymous access when there is no token */
    public static CredentialsProvider provider(Platform platform, Optional<String> token) {
        return token.map(t -> (CredentialsProvider) new UsernamePasswordCredentialsProvider(username(platform), t))
                .orElse(null);
    }
}
