package dev.drep.core.platform;

/**
 * What the host rules let through that they refuse by default (configuration
 * {@code drep.platform-access.allow-*}, all off in services; tests and the local stack turn some on).
 *
 * @param fileUrls         {@code file:} clone URLs (repositories on the service's own disk)
 * @param plainHttp        {@code http:} API and clone URLs (tokens in clear text on the wire)
 * @param privateAddresses hosts that resolve to loopback, link-local or private addresses
 */
public record AccessAllowances(boolean fileUrls, boolean plainHttp, boolean privateAddresses) {
    /** Nothing beyond the defaults. */
    public static final AccessAllowances NONE = new AccessAllowances(false, false, false);
}
