package dev.drep.scanner.dashboard;

import static dev.drep.testsupport.identity.TestTokens.anonymous;
import static dev.drep.testsupport.identity.TestTokens.as;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.contracts.JobStatus;
import dev.drep.scanner.PublisherStubResource;
import dev.drep.scanner.dashboard.OidcProviderResource.Answer;
import dev.drep.scanner.dashboard.OidcProviderResource.Person;
import dev.drep.scanner.job.Job;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard where OIDC is configured: the authorization-code flow against a real OpenID provider started by the
 * test ({@link OidcProviderResource}), driven in the real headless browser. A browser without a session goes to the
 * provider and comes back signed in, with the person's name shown; groups map to scopes as for bearer tokens; a person
 * without {@code jobs:read} gets a 403 page; signing out ends the session here and at the provider; a callback with a
 * state the browser never sent, and an id_token of another issuer, are refused with nothing shown. The API keeps
 * answering bearer tokens (drep's and the provider's) and 401 without one. Pages stay in {@code target/dashboard-oidc}.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
@QuarkusTestResource(value = OidcProviderResource.class, restrictToAnnotatedClass = true)
class DashboardOidcSignInTest {
    private static final Path ARTIFACTS = Path.of("target", "dashboard-oidc");
    private static final Person ALICE = Person.of("alice", OidcProviderResource.READERS_GROUP);

    @TestHTTPResource("/dashboard")
    URL dashboard;
    @TestHTTPResource("/api/jobs")
    URL api;

    private UUID job;

    @BeforeAll
    static void browserInstalled() {
        HeadlessChromium.requireInstalled();
    }

    @BeforeEach
    void nobodySignedInAtTheProvider() {
        OidcProviderResource.signedIn(null);
        OidcProviderResource.answer(Answer.HONEST);
        OidcProviderResource.REDIRECTED_TO.clear();
        OidcProviderResource.REFUSED.clear();
    }

    @AfterEach
    void cleanUp() throws Throwable {
        OidcProviderResource.signedIn(null);
        OidcProviderResource.answer(Answer.HONEST);
        if (job != null) {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Job.deleteById(job)));
        }
    }

    @Test
    void aReaderIsSentToTheProviderAndComesBackToThePageTheyAskedForWithTheirNameShown() throws Throwable {
        String repository = aJob();
        OidcProviderResource.signedIn(ALICE);
        URL jobPage = new URL(dashboard, "/dashboard/jobs/" + job);
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            String page = browser.open(jobPage).dom(ARTIFACTS.resolve("signed-in-job.html"));
            assertThat(OidcProviderResource.REDIRECTED_TO).as("the browser went through the provider")
                    .containsExactly(new URL(dashboard, "/dashboard/callback").toString());
            assertThat(OidcProviderResource.REFUSED).as("the provider took the client's secret and redirect_uri").isEmpty();
            assertThat(browser.location()).isEqualTo(jobPage.toString());
            assertThat(status(browser)).isEqualTo(200);
            assertThat(page).contains(repository, ">DONE<");
            assertThat(viewer(browser)).isEqualTo("alice");

            List<JsonNode> cookies = browser.cookies(dashboard);
            assertThat(cookies).extracting(c -> c.get("name").asText()).containsExactly("q_session_dashboard");
            JsonNode session = cookies.get(0);
            assertThat(session.get("path").asText()).isEqualTo("/dashboard");
            assertThat(session.get("httpOnly").asBoolean()).as("HttpOnly").isTrue();
            assertThat(session.get("secure").asBoolean()).as("Secure").isTrue();
            assertThat(session.get("sameSite").asText()).isEqualTo("Lax");
            assertThat(browser.cookies(api)).as("the JSON API never receives the session").isEmpty();

            // the session holds: the next page needs no second trip to the provider
            page = browser.open(dashboard).dom(ARTIFACTS.resolve("signed-in.html"));
            assertThat(browser.location()).isEqualTo(dashboard.toString());
            assertThat(page).contains("recent jobs", repository);
            assertThat(OidcProviderResource.REDIRECTED_TO).hasSize(1);
        }
    }

    @Test
    void aPersonWhoseGroupsGrantNoDashboardScopeGetsA403PageNamingWhatIsMissing() throws Throwable {
        String repository = aJob();
        OidcProviderResource.signedIn(Person.of("bob", "drep-writers", "reviews:write"));
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            String page = browser.open(dashboard).dom(ARTIFACTS.resolve("forbidden.html"));
            assertThat(browser.location()).isEqualTo(dashboard.toString());
            assertThat(status(browser)).isEqualTo(403);
            assertThat(page).contains("You may not open the dashboard").doesNotContain(repository, "recent jobs");
            assertThat(problem(browser)).contains("needs scope jobs:read", "'bob' has reviews:write", "drep-writers");
            assertThat(viewer(browser)).isEqualTo("bob");

            browser.open(new URL(dashboard, "/dashboard/jobs/" + job));
            assertThat(status(browser)).isEqualTo(403);
            assertThat(browser.dom(ARTIFACTS.resolve("forbidden-job.html"))).doesNotContain(repository);
        }
    }

    @Test
    void signingOutEndsTheSessionHereAndAtTheProvider() throws Throwable {
        String repository = aJob();
        OidcProviderResource.signedIn(ALICE);
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            assertThat(browser.open(dashboard).dom(ARTIFACTS.resolve("before-sign-out.html"))).contains(repository);

            String page = browser.clickAndWait("#sign-out").dom(ARTIFACTS.resolve("signed-out.html"));
            assertThat(browser.location()).startsWith(new URL(dashboard, "/dashboard/signed-out").toString());
            assertThat(page).contains("You are signed out").doesNotContain(repository);
            assertThat(browser.cookies(dashboard)).extracting(c -> c.get("name").asText()).as("the session cookie is gone")
                    .doesNotContain("q_session_dashboard");

            // the provider's session ended too: the dashboard now sends the browser to the provider's sign-in page
            page = browser.open(dashboard).dom(ARTIFACTS.resolve("after-sign-out.html"));
            assertThat(browser.location()).startsWith(OidcProviderResource.issuer() + "/protocol/openid-connect/auth");
            assertThat(page).contains("Sign in to Acme ID").doesNotContain(repository);
        }
    }

    @Test
    void aCallbackWithAStateTheBrowserNeverSentIsRefusedAndShowsNothing() throws Throwable {
        String repository = aJob();
        OidcProviderResource.signedIn(ALICE);
        OidcProviderResource.answer(Answer.WRONG_STATE);
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            String page = browser.open(dashboard).dom(ARTIFACTS.resolve("wrong-state.html"));
            assertThat(browser.location()).contains("/dashboard/callback?code=");
            assertThat(status(browser)).isEqualTo(401);
            assertThat(page).contains("Sign-in failed").doesNotContain(repository, "recent jobs", "alice");
            assertThat(browser.cookies(dashboard)).extracting(c -> c.get("name").asText())
                    .doesNotContain("q_session_dashboard");
        }
    }

    @Test
    void anIdTokenOfAnotherIssuerIsRefusedAndShowsNothing() throws Throwable {
        String repository = aJob();
        OidcProviderResource.signedIn(new Person("mallory", List.of(OidcProviderResource.READERS_GROUP),
                "https://evil.test/realms/acme"));
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            String page = browser.open(dashboard).dom(ARTIFACTS.resolve("other-issuer.html"));
            assertThat(OidcProviderResource.REDIRECTED_TO).hasSize(1);
            assertThat(OidcProviderResource.REFUSED).as("the provider exchanged the code; the scanner refused the token")
                    .isEmpty();
            assertThat(browser.location()).contains("/dashboard/callback?code=");
            assertThat(status(browser)).isEqualTo(401);
            assertThat(page).contains("Sign-in failed").doesNotContain(repository, "recent jobs", "mallory");
            assertThat(browser.cookies(dashboard)).extracting(c -> c.get("name").asText())
                    .doesNotContain("q_session_dashboard");
        }
    }

    @Test
    void theApiKeepsAnsweringBearerTokensAndNeverRedirects() {
        anonymous().redirects().follow(false).when().get("/api/jobs").then().statusCode(401)
                .header("Location", nullValue()).body(containsString("bearer token"));
        asAdmin().when().get("/api/jobs").then().statusCode(200);
        as(OidcProviderResource.accessToken(ALICE)).when().get("/api/jobs").then().statusCode(200);
        as(OidcProviderResource.accessToken(Person.of("bob", "drep-writers"))).when().get("/api/jobs").then()
                .statusCode(403);
        // the dashboard sends a browser to the provider instead of offering the token form
        anonymous().redirects().follow(false).accept("text/html").when().get("/dashboard").then().statusCode(302)
                .header("Location", startsWith(OidcProviderResource.issuer() + "/protocol/openid-connect/auth?"));
    }

    /** @return the HTTP status of the page shown, as the browser received it */
    private static int status(HeadlessChromium browser) throws Exception {
        return browser.evaluate("performance.getEntriesByType('navigation')[0].responseStatus").asInt();
    }

    private static String viewer(HeadlessChromium browser) throws Exception {
        return browser.evaluate("(document.getElementById('viewer') || {}).innerText || ''").asText();
    }

    private static String problem(HeadlessChromium browser) throws Exception {
        return browser.evaluate("(document.getElementById('problem') || {}).innerText || ''").asText();
    }

    /** @return the repository of a finished job stored for the test */
    private String aJob() throws Throwable {
        String repository = "acme/oidc-" + UUID.randomUUID().toString().substring(0, 6);
        Job stored = new Job();
        stored.id = UUID.randomUUID();
        stored.repository = repository;
        stored.status = JobStatus.DONE;
        stored.createdAt = Instant.now().minusSeconds(5);
        stored.finishedAt = Instant.now();
        stored.unitsTotal = 1;
        stored.unitsDone = 1;
        stored.llmCost = BigDecimal.ZERO;
        job = stored.id;
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(stored::persist));
        return repository;
    }
}
