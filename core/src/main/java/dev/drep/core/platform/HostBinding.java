package dev.drep.core.platform;

import java.util.List;

/**
 * Where the token behind one secret reference may be sent (configuration
 * {@code drep.platform-access.bindings.<ref>.*}).
 *
 * @param apiUrls  the API roots requests with the token may go to, e.g. {@code https://api.github.com}; a
 *                 request matches when its scheme, host and port are the root's and its path lies under the
 *                 root's path
 * @param gitHosts the hosts git may send the token to, e.g. {@code github.com}, or {@code host:port} for a
 *                 port other than the scheme's default
 */
public record HostBinding(List<String> apiUrls, List<String> gitHosts) {
    public HostBinding {
        apiUrls = apiUrls == null ? List.of() : List.copyOf(apiUrls);
        gitHosts = gitHosts == null ? List.of() : List.copyOf(gitHosts);
    }
}
