package dev.drep.testsupport.identity;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * The bearer tokens of the services' tests. Each service's {@code %test} configuration holds the SHA-256 of these (never
 * the tokens), as production configuration does; tests that need other scopes create API tokens through the API.
 */
public final class TestTokens {
    /** The bootstrap admin token of every service's tests (scope {@code admin}). */
    public static final String ADMIN = "drep_test-admin-token-for-tests-only";
    /** The scanner's service token in tests (what the publisher accepts on /internal/*). */
    public static final String SCANNER_SERVICE = "drep_test-scanner-service-token";
    /** The analyzer's service token in tests (what the gateway accepts on /v1/*, for any repository). */
    public static final String ANALYZER_SERVICE = "drep_test-analyzer-service-token";
    /** The gateway's service token in tests (scope tokens:introspect at the scanner: it asks what API tokens grant). */
    public static final String GATEWAY_SERVICE = "drep_test-gateway-service-token";
    /** The publisher's service token in tests (scope tokens:introspect at the scanner). */
    public static final String PUBLISHER_SERVICE = "drep_test-publisher-service-token";
    /**
     * A caller the publisher and the gateway know in tests with one scope none of their endpoints takes (the gateway:
     * {@code jobs:read}; the publisher, whose stored reviews take jobs:read: {@code reservations:write}): what a
     * wrong-scope call there looks like.
     */
    public static final String OUTSIDER = "drep_test-outsider-token";
    /** The gateway's test caller with exactly scope {@code llm:use}. */
    public static final String LLM_USER = "drep_test-llm-user-token";
    /** The gateway's test caller with exactly scope {@code usage:read}. */
    public static final String USAGE_READER = "drep_test-usage-reader-token";

    /** A gateway caller in tests with scope {@code llm:use} only: its calls are accounted to itself. */
    public static final String LLM_CLIENT = "drep_test-llm-client-token";

    private TestTokens() {
    }

    /** @return a RestAssured request carrying the admin token */
    public static RequestSpecification asAdmin() {
        return as(ADMIN);
    }

    /** @return a RestAssured request carrying {@code token} */
    public static RequestSpecification as(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token);
    }

    /** @return a RestAssured request with no credentials */
    public static RequestSpecification anonymous() {
        return RestAssured.given();
    }
}
