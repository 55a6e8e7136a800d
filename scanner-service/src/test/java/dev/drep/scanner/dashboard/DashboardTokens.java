package dev.drep.scanner.dashboard;

import static dev.drep.testsupport.identity.TestTokens.asAdmin;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * API tokens the dashboard tests sign in with, created and revoked as an admin would ({@code POST /api/tokens},
 * {@code DELETE /api/tokens/{id}}); {@link #revokeAll()} revokes what a test created.
 */
final class DashboardTokens {
    /** A created token: the secret a person pastes into the form, and its id. */
    record Token(String secret, String id) {
    }

    private final List<String> created = new ArrayList<>();

    /** @return a new token with {@code scopes}, restricted to {@code repository} unless it is null */
    Token create(String repository, String... scopes) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", "dashboard-test-" + UUID.randomUUID().toString().substring(0, 8));
        request.put("scopes", List.of(scopes));
        if (repository != null) {
            request.put("repository", repository);
        }
        JsonPath answer = asAdmin().contentType(ContentType.JSON).body(request).when().post("/api/tokens")
                .then().statusCode(201).extract().jsonPath();
        Token token = new Token(answer.getString("token"), answer.getString("details.id"));
        created.add(token.id());
        return token;
    }

    /** Revokes {@code token} at once. */
    void revoke(Token token) {
        asAdmin().when().delete("/api/tokens/{id}", token.id()).then().statusCode(200);
    }

    /** Revokes every token this instance created (revoking twice is harmless). */
    void revokeAll() {
        created.forEach(id -> asAdmin().when().delete("/api/tokens/{id}", id).then().statusCode(200));
        created.clear();
    }
}
