package dev.drep.scanner;

import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.drep.scanner.repository.RegisteredRepository;
import dev.drep.testsupport.http.CapturingListener;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The exfiltration attempts of issue 13 against a capturing listener: a token reference bound to
 * github.com is never sent to another host, neither through a registration nor through a stored
 * repository row that points elsewhere. (These rules hold with the %test allowances on: the binding is
 * what keeps the token home; {@link StrictHostRulesTest} covers the allowances.)
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class HostBindingTest {

    @Test
    void registeringARepositoryThatSendsGithubTokenToAnotherHostIsRefusedNamingTheBinding() throws Exception {
        try (CapturingListener listener = CapturingListener.start()) {
            api().body(Map.of("platform", "github", "fullName", Platforms.uniqueName("acme/exfil"),
                            "cloneUrl", listener.baseUrl() + "/acme/exfil.git", "apiUrl", listener.baseUrl() + "/api/v3",
                            "tokenRef", "github-token"))
                    .post("/api/repositories")
                    .then().statusCode(400).body("error", equalTo("invalid_request"))
                    .body("message", allOf(containsString("token binding"),
                            containsString("drep.platform-access.bindings.github-token")));
            assertThat(listener.requests()).as("the listener received nothing").isEmpty();
        }
    }

    @Test
    void aTokenReferenceBoundToNoHostIsRefused() {
        api().body(Map.of("platform", "gitea", "fullName", Platforms.uniqueName("acme/unbound"),
                        "cloneUrl", "https://gitea.example/acme/unbound.git", "tokenRef", "gitea-token"))
                .post("/api/repositories")
                .then().statusCode(400)
                .body("message", allOf(containsString("tokenRef 'gitea-token' is bound to no host"),
                        containsString("drep.platform-access.bindings.gitea-token.api-urls")));
    }

    @Test
    void aCloneUrlAndAnApiUrlOnDifferentHostsAreRefused() {
        api().body(Map.of("platform", "gitea", "fullName", Platforms.uniqueName("acme/split"),
                        "cloneUrl", "https://gitea.example/acme/split.git", "apiUrl", "https://gitlab.example/api/v1",
                        "tokenRef", "test-token"))
                .post("/api/repositories")
                .then().statusCode(400).body("message", containsString("same host"));
    }

    @Test
    void aStoredRepositoryPointingAtAnotherHostIsRefusedAtUseAndNothingIsSent() throws Throwable {
        try (CapturingListener listener = CapturingListener.start()) {
            // a row written before the binding existed (or by hand): the lookup checks again
            RegisteredRepository row = new RegisteredRepository();
            row.id = UUID.randomUUID();
            row.platformId = "github";
            row.fullName = Platforms.uniqueName("acme/stored");
            row.cloneUrl = listener.baseUrl() + "/acme/stored.git";
            row.apiUrl = listener.baseUrl();
            row.defaultBranch = "main";
            row.tokenRef = "github-token";
            row.createdAt = Instant.now();
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(row::persist));

            api().body(Map.of("repositoryId", row.id.toString(), "number", 7)).post("/api/reviews")
                    .then().statusCode(400)
                    .body("message", allOf(containsString("token binding"), containsString("github-token")));
            assertThat(listener.requests()).as("the listener received nothing").isEmpty();
        }
    }

    /** Every call to the scanner goes through here (one place to add credentials). */
    private static RequestSpecification api() {
        return asAdmin().contentType(ContentType.JSON);
    }
}
