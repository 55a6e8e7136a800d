package dev.drep.core.platform;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where drep may send requests and tokens: the binding of each secret reference to its hosts, and the
 * URLs refused outright ({@code file:}, plain {@code http:}, hosts on loopback, link-local and private
 * addresses) unless configuration allows them. The scanner checks a registration with it and both
 * services check again right before each use (a git fetch, a pull request lookup, every request of the
 * publisher), so a plan or a stored row naming another host cannot make a token leave.
 *
 * <p>Host names are resolved and every address is checked. A name that resolves to a public address at
 * the check and to a private one at the connection (DNS rebinding) is not caught: the token binding is
 * what keeps the token on its hosts.
 */
public final class HostRules {
    /** The configuration prefix the messages point at. */
    public static final String PREFIX = "drep.platform-access";

    private final Map<String, HostBinding> bindings;
    private final AccessAllowances allow;
    private final HostResolver resolver;

    /**
     * @param bindings the host bindings by secret reference
     * @param allow    what is let through beyond the defaults
     * @param resolver resolves host names ({@link HostResolver#SYSTEM} outside tests)
     */
    public HostRules(Map<String, HostBinding> bindings, AccessAllowances allow, HostResolver resolver) {
        this.bindings = Map.copyOf(bindings);
        this.allow = allow;
        this.resolver = resolver;
    }

    /** @return the binding of {@code tokenRef}, or null when it has none */
    public HostBinding binding(String tokenRef) {
        return tokenRef == null ? null : bindings.get(tokenRef);
    }

    /**
     * Checks a repository registration: the clone URL and the API root are allowed URLs on one host, and
     * the token reference (when given) is bound to both.
     *
     * @param platform the repository's platform
     * @param tokenRef the token reference, or null for anonymous access
     * @param clone    the clone URL (http(s) or file)
     * @param apiUrl   the API root as registered
     * @throws HostRuleViolation naming the rule and the field
     */
    public void checkRegistration(Platform platform, String tokenRef, URI clone, String apiUrl) {
        URI api = parse("'apiUrl'", platform.apiRoot(apiUrl));
        checkGitUrl("'cloneUrl'", tokenRef, clone);
        checkApiUrl("'apiUrl'", tokenRef, api);
        if (!"file".equalsIgnoreCase(clone.getScheme())) {
            String cloneHost = host(clone);
            String apiHost = host(api);
            if (!apiHost.equals(cloneHost) && !apiHost.equals("api." + cloneHost)) {
                throw new HostRuleViolation(HostRule.SAME_HOST, "'cloneUrl' is on " + cloneHost + " but 'apiUrl' on "
                        + apiHost + "; a repository's API must be on its git host (or on api." + cloneHost + ")");
            }
        }
    }

    /**
     * Checks one API request (or an API root) right before it is sent with {@code tokenRef}'s token.
     *
     * @param what     how messages name the URL, e.g. {@code the API URL of acme/docs}
     * @param tokenRef the token reference, or null when the request is anonymous
     * @param url      the absolute request URL
     * @throws HostRuleViolation naming the rule
     */
    public void checkApiRequest(String what, String tokenRef, String url) {
        checkApiUrl(what, tokenRef, parse(what, url));
    }

    /**
     * Checks a git fetch right before it runs: the URL is allowed and, when a token goes with it, its host
     * is one the token is bound to.
     *
     * @throws HostRuleViolation naming the rule
     */
    public void checkGitFetch(String what, String tokenRef, String cloneUrl) {
        checkGitUrl(what, tokenRef, parse(what, cloneUrl));
    }

    private void checkApiUrl(String what, String tokenRef, URI api) {
        checkScheme(what, api, false);
        if (tokenRef != null) {
            checkApiBinding(what, tokenRef, api);
        }
        checkAddresses(what, api);
    }

    private void checkApiBinding(String what, String tokenRef, URI api) {
        HostBinding binding = requireBinding(tokenRef);
        for (String bound : binding.apiUrls()) {
            if (covers(bound, api)) {
                return;
            }
        }
        throw new HostRuleViolation(HostRule.TOKEN_BINDING, "tokenRef '" + tokenRef + "' may be sent only to "
                + (binding.apiUrls().isEmpty() ? "no API URL" : String.join(", ", binding.apiUrls())) + " ("
                + PREFIX + ".bindings." + tokenRef + ".api-urls), and " + what + " is " + shown(api));
    }

    private void checkGitUrl(String what, String tokenRef, URI clone) {
        if (checkScheme(what, clone, true)) {
            return; // a file: URL has no host, and git sends no credentials to it
        }
        if (tokenRef != null) {
            checkGitBinding(what, tokenRef, clone);
        }
        checkAddresses(what, clone);
    }

    private void checkGitBinding(String what, String tokenRef, URI clone) {
        HostBinding binding = requireBinding(tokenRef);
        String hostAndPort = hostAndPort(clone);
        for (String bound : binding.gitHosts()) {
            String b = bound.strip().toLowerCase(Locale.ROOT);
            if (b.equals(hostAndPort) || (clone.getPort() == -1 || clone.getPort() == defaultPort(clone))
                    && b.equals(host(clone))) {
                return;
            }
        }
        throw new HostRuleViolation(HostRule.TOKEN_BINDING, "tokenRef '" + tokenRef + "' may be sent by git only to "
                + (binding.gitHosts().isEmpty() ? "no host" : String.join(", ", binding.gitHosts())) + " ("
                + PREFIX + ".bindings." + tokenRef + ".git-hosts), and " + what + " is on " + hostAndPort);
    }

    private HostBinding requireBinding(String tokenRef) {
        HostBinding binding = bindings.get(tokenRef);
        if (binding == null || binding.apiUrls().isEmpty() && binding.gitHosts().isEmpty()) {
            throw new HostRuleViolation(HostRule.TOKEN_BINDING, "tokenRef '" + tokenRef + "' is bound to no host: set "
                    + PREFIX + ".bindings." + tokenRef + ".api-urls and .git-hosts to the API roots and git hosts its "
                    + "token may be sent to");
        }
        return binding;
    }

    /** @return true for an allowed file: URL */
    private boolean checkScheme(String what, URI uri, boolean fileAllowedHere) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "https" -> {
            }
            case "http" -> {
                if (!allow.plainHttp()) {
                    throw new HostRuleViolation(HostRule.PLAIN_HTTP, what + " uses plain http, which would send the "
                            + "token in clear text: use https (or set " + PREFIX + ".allow-plain-http=true)");
                }
            }
            case "file" -> {
                if (!fileAllowedHere || !allow.fileUrls()) {
                    throw new HostRuleViolation(HostRule.FILE_URL, what + " is a file: URL, which would read the "
                            + "service's own disk: use the repository's https URL (or set " + PREFIX
                            + ".allow-file-urls=true)");
                }
                return true;
            }
            default -> throw new HostRuleViolation(HostRule.URL_FORM, what + " must be an https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new HostRuleViolation(HostRule.URL_FORM, what + " has no host");
        }
        return false;
    }

    private void checkAddresses(String what, URI uri) {
        if (allow.privateAddresses()) {
            return;
        }
        String host = host(uri);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new HostRuleViolation(HostRule.PRIVATE_ADDRESS, "the host " + host + " of " + what + " does not "
                    + "resolve, so its addresses cannot be checked");
        }
        for (InetAddress address : addresses) {
            String kind = privateKind(address);
            if (kind != null) {
                throw new HostRuleViolation(HostRule.PRIVATE_ADDRESS, "the host " + host + " of " + what + " resolves to "
                        + address.getHostAddress() + ", a " + kind + " address (set " + PREFIX
                        + ".allow-private-addresses=true to reach such hosts)");
            }
        }
    }

    /** @return what kind of non-public address {@code address} is, or null for a public one */
    static String privateKind(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isAnyLocalAddress()) {
            return "wildcard";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc) {
            return "private (unique local)";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        return null;
    }

    /** @return true when the bound API root {@code bound} covers the request URL {@code url} */
    private static boolean covers(String bound, URI url) {
        URI root;
        try {
            root = new URI(bound.strip());
        } catch (URISyntaxException e) {
            return false;
        }
        if (root.getScheme() == null || root.getHost() == null
                || !root.getScheme().equalsIgnoreCase(url.getScheme())
                || !host(root).equals(host(url)) || port(root) != port(url)) {
            return false;
        }
        String rootPath = root.getRawPath() == null ? "" : root.getRawPath().replaceAll("/+$", "");
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return rootPath.isEmpty() || path.equals(rootPath) || path.startsWith(rootPath + "/");
    }

    private static URI parse(String what, String url) {
        try {
            return new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw new HostRuleViolation(HostRule.URL_FORM, what + " is not a valid URL: " + e.getReason());
        }
    }

    private static String host(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(URI uri) {
        return uri.getPort() == -1 ? defaultPort(uri) : uri.getPort();
    }

    private static int defaultPort(URI uri) {
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    private static String hostAndPort(URI uri) {
        return host(uri) + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }

    /** @return scheme, host, port and path: never user info, query or fragment */
    private static String shown(URI uri) {
        return uri.getScheme() + "://" + hostAndPort(uri) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** @return {@code hosts} trimmed, without empty entries (configuration lists may carry blanks) */
    public static List<String> clean(List<String> hosts) {
        return hosts == null ? List.of() : hosts.stream().map(String::strip).filter(h -> !h.isEmpty()).toList();
    }
}
