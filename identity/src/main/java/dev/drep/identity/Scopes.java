package dev.drep.identity;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a caller may do. A token (API token, service token, OIDC access token) carries scopes; endpoints name the
 * one they need with {@code @RolesAllowed}. {@link #ADMIN} holds every other scope. The names are part of drep's API:
 * tokens store them, the OpenAPI documents and the Helm chart show them.
 */
public final class Scopes {
    /** Request reviews and scans ({@code POST /api/reviews}, {@code /api/scans}). */
    public static final String REVIEWS_WRITE = "reviews:write";
    /** Read jobs, their findings and profiles, and the dashboard. */
    public static final String JOBS_READ = "jobs:read";
    /** Register, list and remove repositories. */
    public static final String REPOSITORIES_ADMIN = "repositories:admin";
    /** Reserve, renew and release one's own file reservations, and list and check them. */
    public static final String RESERVATIONS_WRITE = "reservations:write";
    /** Release or force-release anyone's reservations. */
    public static final String RESERVATIONS_ADMIN = "reservations:admin";
    /** Read the LLM usage ledger. */
    public static final String USAGE_READ = "usage:read";
    /** Call the LLM gateway's OpenAI-compatible API ({@code /v1/*}). */
    public static final String LLM_USE = "llm:use";
    /**
     * Name the repository an LLM call is for ({@code X-Drep-Repository}) on behalf of any repository: the analyzer's
     * service token only. Other callers' calls are accounted to their own identity.
     */
    public static final String LLM_ANY_REPOSITORY = "llm:any-repository";
    /** The review-publisher's internal API ({@code /internal/*}): the scanner's service token only. */
    public static final String PUBLISHER_INTERNAL = "publisher:internal";
    /**
     * Ask the scanner what an API token grants ({@code POST /internal/tokens/introspect}): the service tokens of the
     * services that accept API tokens (gateway, publisher) only.
     */
    public static final String TOKENS_INTROSPECT = "tokens:introspect";
    /** Everything, including creating and revoking tokens. */
    public static final String ADMIN = "admin";

    /** Every scope with a one-line description (the order in which documents list them). */
    public static final Map<String, String> DESCRIPTIONS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(REVIEWS_WRITE, "request reviews and scans");
        d.put(JOBS_READ, "read jobs, findings, profiles and the dashboard");
        d.put(REPOSITORIES_ADMIN, "register, list and remove repositories");
        d.put(RESERVATIONS_WRITE, "reserve, renew, release and check one's own file reservations");
        d.put(RESERVATIONS_ADMIN, "release or force-release anyone's reservations");
        d.put(USAGE_READ, "read the LLM usage ledger");
        d.put(LLM_USE, "call the LLM gateway's OpenAI-compatible API");
        d.put(LLM_ANY_REPOSITORY, "account LLM calls to any repository (the analyzer's service token)");
        d.put(PUBLISHER_INTERNAL, "the review-publisher's internal API (the scanner's service token)");
        d.put(TOKENS_INTROSPECT, "ask the scanner what an API token grants (the gateway's and the publisher's service tokens)");
        d.put(ADMIN, "everything, including managing tokens");
        DESCRIPTIONS = Map.copyOf(d);
    }

    /** Every scope. */
    public static final Set<String> ALL = Set.copyOf(DESCRIPTIONS.keySet());

    private Scopes() {
    }

    /** @return whether {@code scope} is one of drep's scopes */
    public static boolean isKnown(String scope) {
        return ALL.contains(scope);
    }
}
