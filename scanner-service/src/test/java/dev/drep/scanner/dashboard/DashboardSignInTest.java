package dev.drep.scanner.dashboard;

import static dev.drep.testsupport.identity.TestTokens.anonymous;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.contracts.JobStatus;
import dev.drep.scanner.PublisherStubResource;
import dev.drep.scanner.dashboard.DashboardTokens.Token;
import dev.drep.scanner.job.Job;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signing in to the dashboard in the real headless browser: the form, the cookie it sets, and what a browser sees with
 * no token, a wrong token, a token without {@code jobs:read}, and a token revoked while signed in. The rendered pages
 * stay in {@code target/dashboard} for a look.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class DashboardSignInTest {
    private static final Path ARTIFACTS = Path.of("target", "dashboard");

    @TestHTTPResource("/dashboard")
    URL dashboard;
    @TestHTTPResource("/api/jobs")
    URL api;

    private final DashboardTokens tokens = new DashboardTokens();
    private UUID job;

    @BeforeAll
    static void browserInstalled() {
        HeadlessChromium.requireInstalled();
    }

    @AfterEach
    void cleanUp() throws Throwable {
        tokens.revokeAll();
        if (job != null) {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Job.deleteById(job)));
        }
    }

    @Test
    void anAnonymousBrowserLandsOnTheSignInFormAndSeesNoJob() throws Throwable {
        String repository = aJob();
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            String page = browser.open(dashboard).dom(ARTIFACTS.resolve("anonymous.html"));
            assertThat(browser.location()).isEqualTo(new URL(dashboard, "/dashboard/sign-in?then=%2Fdashboard").toString());
            assertThat(page).contains("Sign in to the dashboard", "jobs:read", "drep token create")
                    .doesNotContain(repository, "recent jobs", "spend-chart", "id=\"job-");

            URL jobPage = new URL(dashboard, "/dashboard/jobs/" + job);
            page = browser.open(jobPage).dom(ARTIFACTS.resolve("anonymous-job.html"));
            assertThat(browser.location()).contains("/dashboard/sign-in?then=%2Fdashboard%2Fjobs%2F" + job);
            assertThat(page).contains("Sign in to the dashboard").doesNotContain(repository);
            assertThat(browser.cookies(dashboard)).as("no session without signing in").isEmpty();
        }
    }

    @Test
    void signingInFromAJobPageLeadsBackToThatJobWithACookieOnlyTheDashboardGets() throws Throwable {
        String repository = aJob();
        Token reader = tokens.create(null, "jobs:read");
        URL jobPage = new URL(dashboard, "/dashboard/jobs/" + job);
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            String page = browser.signIn(jobPage, reader.secret()).dom(ARTIFACTS.resolve("signed-in-job.html"));
            assertThat(browser.location()).isEqualTo(jobPage.toString());
            assertThat(page).contains(repository, ">DONE<");

            List<JsonNode> cookies = browser.cookies(dashboard);
            assertThat(cookies).hasSize(1);
            JsonNode session = cookies.get(0);
            assertThat(session.get("name").asText()).isEqualTo("drep_session");
            assertThat(session.get("path").asText()).isEqualTo("/dashboard");
            assertThat(session.get("httpOnly").asBoolean()).as("HttpOnly").isTrue();
            assertThat(session.get("secure").asBoolean()).as("Secure").isTrue();
            assertThat(session.get("sameSite").asText()).isEqualTo("Strict");
            assertThat(session.get("session").asBoolean()).as("gone when the browser closes").isTrue();
            assertThat(browser.evaluate("document.cookie").asText()).as("scripts cannot read the token").isEmpty();
            assertThat(browser.cookies(api)).as("the JSON API never receives the cookie").isEmpty();

            page = browser.open(dashboard).dom(ARTIFACTS.resolve("signed-in.html"));
            assertThat(browser.location()).isEqualTo(dashboard.toString());
            assertThat(page).contains("recent jobs", repository);
        }
    }

    @Test
    void aWrongTokenIsRefusedOnTheFormAndTheBrowserStaysSignedOut() throws Throwable {
        String repository = aJob();
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.signIn(dashboard, "drep_nope-" + UUID.randomUUID());
            String page = browser.dom(ARTIFACTS.resolve("unknown-token.html"));
            assertThat(browser.location()).endsWith("/dashboard/sign-in");
            assertThat(problem(browser)).contains("That token cannot open the dashboard", "not known",
                    "drep token create");
            assertThat(page).doesNotContain(repository, "recent jobs");
            assertThat(browser.cookies(dashboard)).as("a refused token is not kept").isEmpty();

            browser.open(dashboard);
            assertThat(browser.location()).contains("/dashboard/sign-in");

            browser.type("#token", "hunter2").clickAndWait("#sign-in");
            assertThat(problem(browser)).contains("not a drep token", "drep_");
            assertThat(browser.cookies(dashboard)).isEmpty();
        }
    }

    @Test
    void aTokenWithoutJobsReadIsRefusedNamingTheScope() throws Throwable {
        aJob();
        Token writer = tokens.create(null, "reviews:write");
        Token restricted = tokens.create("acme/one", "jobs:read");
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.signIn(dashboard, writer.secret()).dom(ARTIFACTS.resolve("missing-scope.html"));
            assertThat(browser.location()).endsWith("/dashboard/sign-in");
            assertThat(problem(browser)).contains("needs scope jobs:read", "has reviews:write");
            assertThat(browser.cookies(dashboard)).isEmpty();

            browser.type("#token", restricted.secret()).clickAndWait("#sign-in");
            assertThat(problem(browser)).contains("restricted to repository 'acme/one'", "not restricted");
            assertThat(browser.cookies(dashboard)).isEmpty();
        }
    }

    @Test
    void revokingTheTokenSignsTheBrowserOutAtTheNextPage() throws Throwable {
        String repository = aJob();
        Token reader = tokens.create(null, "jobs:read");
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            assertThat(browser.signIn(dashboard, reader.secret()).dom(ARTIFACTS.resolve("before-revoking.html")))
                    .contains(repository);

            tokens.revoke(reader);
            String page = browser.open(dashboard).dom(ARTIFACTS.resolve("revoked.html"));
            assertThat(browser.location()).contains("/dashboard/sign-in?then=%2Fdashboard");
            assertThat(problem(browser)).contains("You are signed out", "was revoked");
            assertThat(page).doesNotContain(repository, "recent jobs");
            assertThat(browser.cookies(dashboard)).as("the refused cookie is dropped").isEmpty();

            browser.open(new URL(dashboard, "/dashboard/jobs/" + job));
            assertThat(browser.location()).contains("/dashboard/sign-in");
            assertThat(browser.dom(ARTIFACTS.resolve("revoked-again.html"))).doesNotContain(repository);
        }
    }

    @Test
    void signingOutDropsTheCookieShowsWhoWasSignedInBeforeAndAsksForATokenAgain() throws Throwable {
        String repository = aJob();
        Token reader = tokens.create(null, "jobs:read");
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.signIn(dashboard, reader.secret());
            assertThat(browser.evaluate("document.getElementById('viewer').innerText").asText())
                    .as("the page names who is signed in").startsWith("dashboard-test-");

            String page = browser.clickAndWait("#sign-out").dom(ARTIFACTS.resolve("signed-out.html"));
            assertThat(browser.location()).isEqualTo(new URL(dashboard, "/dashboard/signed-out").toString());
            assertThat(page).contains("You are signed out").doesNotContain(repository);
            assertThat(browser.cookies(dashboard)).as("the session cookie is dropped").isEmpty();

            browser.open(dashboard);
            assertThat(browser.location()).contains("/dashboard/sign-in?then=%2Fdashboard");
            assertThat(browser.dom(ARTIFACTS.resolve("after-sign-out.html"))).doesNotContain(repository);
        }
    }

    @Test
    void theFormAnswersRefusalsWithTheirStatusKeepsNoCookieAndNeverSendsTheBrowserAway() {
        Token reader = tokens.create(null, "jobs:read");
        Token writer = tokens.create(null, "reviews:write");
        form("drep_nope-" + UUID.randomUUID(), "/dashboard").then().statusCode(401).header("Set-Cookie", nullValue())
                .body(containsString("not known"));
        form(writer.secret(), "/dashboard").then().statusCode(403).header("Set-Cookie", nullValue())
                .body(containsString("needs scope jobs:read"));
        form("not-a-token", "/dashboard").then().statusCode(400).header("Set-Cookie", nullValue());
        form(reader.secret(), "/dashboard/jobs/" + UUID.randomUUID()).then().statusCode(303)
                .header("Location", matchesPattern("https?://[^/]+/dashboard/jobs/[0-9a-f-]{36}"))
                .header("Set-Cookie", containsString("drep_session="));
        for (String elsewhere : List.of("https://evil.example/dashboard", "//evil.example/dashboard", "/dashboard/../api")) {
            form(reader.secret(), elsewhere).then().statusCode(303)
                    .header("Location", matchesPattern("https?://[^/]+/dashboard"));
        }
        // a crafted link cannot put another address into the form either
        anonymous().queryParam("then", "https://evil.example/").accept("text/html").when().get("/dashboard/sign-in")
                .then().statusCode(200).body(containsString("name=\"then\" value=\"/dashboard\""),
                        not(containsString("evil.example")));
    }

    /** @return the sign-in form posted by a client that does not follow the redirect */
    private static io.restassured.response.Response form(String token, String then) {
        return anonymous().redirects().follow(false).contentType(ContentType.URLENC).accept("text/html")
                .formParam("token", token).formParam("then", then).when().post("/dashboard/sign-in");
    }

    /** @return the problem the sign-in page names, as shown */
    private static String problem(HeadlessChromium browser) throws Exception {
        return browser.evaluate("(document.getElementById('problem') || {}).innerText || ''").asText();
    }

    /** @return the repository of a finished job stored for the test */
    private String aJob() throws Throwable {
        String repository = "acme/signin-" + UUID.randomUUID().toString().substring(0, 6);
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
