package dev.drep.core.platform;

/** The rules {@link HostRules} enforces; each refusal names its rule. */
public enum HostRule {
    /** A token goes only to the API roots and git hosts its reference is bound to. */
    TOKEN_BINDING("token binding"),
    /** A repository's clone URL and API URL are on the same host (or the API on {@code api.<host>}). */
    SAME_HOST("same host"),
    /** {@code file:} URLs are refused unless allowed. */
    FILE_URL("no file URLs"),
    /** {@code http:} URLs are refused unless allowed. */
    PLAIN_HTTP("no plain http"),
    /** Hosts resolving to loopback, link-local or private addresses are refused unless allowed. */
    PRIVATE_ADDRESS("no private addresses"),
    /** Only http(s) (and, where allowed, file) URLs with a host. */
    URL_FORM("URL form");

    private final String title;

    HostRule(String title) {
        this.title = title;
    }

    /** @return the rule's name as messages give it */
    public String title() {
        return title;
    }
}
