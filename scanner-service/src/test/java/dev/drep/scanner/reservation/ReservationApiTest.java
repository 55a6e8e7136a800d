package dev.drep.scanner.reservation;

import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.drep.scanner.PublisherStubResource;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reservation API over HTTP against the embedded PostgreSQL: rules, lifecycle, bad input, sweep. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class ReservationApiTest {

    @Inject
    ReservationService service;
    @Inject
    Scheduler scheduler;

    ShiftedClock clock;
    String repo;

    @BeforeEach
    void freshRepositoryAndClock() {
        clock = new ShiftedClock();
        QuarkusMock.installMockForType(clock, ReservationClock.class);
        repo = "acme-" + UUID.randomUUID() + "/docs";
    }

    @Test
    void anEncodedOwnerSlashNameKeyAndAPlainOneReachTheSameReservations() {
        reserve(Map.of("holder", "alice", "paths", List.of("src/**"), "reason", "refactoring"))
                .statusCode(200)
                .body("granted", hasSize(1))
                .body("granted[0].repository", equalTo(repo))
                .body("granted[0].holder", equalTo("alice"))
                .body("granted[0].exclusive", equalTo(true))
                .body("granted[0].reason", equalTo("refactoring"))
                .body("granted[0].state", equalTo("ACTIVE"))
                .body("conflicts", empty())
                .body("warnings", empty());
        api().get(url()).then().statusCode(200).body("reservations", hasSize(1))
                .body("reservations[0].pattern", equalTo("src/**"));
        api().get("/api/repositories/" + repo + "/reservations").then().statusCode(200)
                .body("reservations", hasSize(1));
    }

    @Test
    void theDefaultTtlIsAnHourAndAReserveNamesEveryConflictWithHolderPatternReasonAndExpiry() {
        Instant before = Instant.now();
        String bobsId = reserve(Map.of("holder", "bob", "paths", List.of("src/a*.py"), "reason", "auth rewrite"))
                .statusCode(200).extract().path("granted[0].id");
        JsonPath bob = api().get(url() + "/" + bobsId).then().statusCode(200).extract().jsonPath();
        Duration ttl = Duration.between(Instant.parse(bob.getString("createdAt")), Instant.parse(bob.getString("expiresAt")));
        assertThat(ttl).isEqualTo(Duration.ofHours(1));
        assertThat(Instant.parse(bob.getString("createdAt"))).isAfterOrEqualTo(before.minusSeconds(1));

        reserve(Map.of("holder", "alice", "paths", List.of("src/*b.py", "docs/**", "src/main.py")))
                .statusCode(200)
                .body("granted", hasSize(3))
                .body("conflicts", hasSize(1))
                .body("conflicts[0].pattern", equalTo("src/*b.py"))
                .body("conflicts[0].examplePath", equalTo("src/ab.py"))
                .body("conflicts[0].reservation.id", equalTo(bobsId))
                .body("conflicts[0].reservation.holder", equalTo("bob"))
                .body("conflicts[0].reservation.pattern", equalTo("src/a*.py"))
                .body("conflicts[0].reservation.reason", equalTo("auth rewrite"))
                .body("conflicts[0].reservation.expiresAt", equalTo(bob.getString("expiresAt")));
    }

    @Test
    void theConflictRulesHoldOverHttp() {
        String exclusive = id(reserve(Map.of("holder", "bob", "paths", List.of("lib/**"))));
        id(reserve(Map.of("holder", "bob", "paths", List.of("shared/**"), "exclusive", false)));

        // exclusive against another holder's exclusive and shared
        assertThat(conflictHolders(reserve(Map.of("holder", "alice", "paths", List.of("lib/x.py", "shared/y.py")))))
                .containsExactly("bob", "bob");
        // shared against exclusive conflicts, shared against shared does not
        reserve(Map.of("holder", "carol", "paths", List.of("lib/z.py", "shared/z.py"), "exclusive", false))
                .body("conflicts", hasSize(1)).body("conflicts[0].pattern", equalTo("lib/z.py"));
        // one's own never
        reserve(Map.of("holder", "bob", "paths", List.of("lib/own.py", "shared/docs/*.md"))).body("conflicts", empty());
        // released never: of lib/**, only the exclusive ones still held (alice's was granted despite its conflict)
        api().contentType(ContentType.JSON).body(Map.of("holder", "bob", "ids", List.of(exclusive)))
                .post(url() + "/release").then().statusCode(200);
        reserve(Map.of("holder", "dave", "paths", List.of("lib/**"), "exclusive", false))
                .body("conflicts.reservation.pattern", equalTo(List.of("lib/x.py", "lib/own.py")));
        // expired never
        clock.advance(Duration.ofHours(2));
        reserve(Map.of("holder", "erin", "paths", List.of("lib/**", "shared/**"))).body("conflicts", empty());
    }

    @Test
    void reservingTheSamePatternAgainExtendsTheHoldersReservationInsteadOfDuplicatingIt() {
        String first = id(reserve(Map.of("holder", "alice", "paths", List.of("src/app.py"), "ttlSeconds", 600)));
        clock.advance(Duration.ofMinutes(5));
        reserve(Map.of("holder", "alice", "paths", List.of("src/app.py  "), "ttlSeconds", 3600, "reason", "longer"))
                .body("granted[0].id", equalTo(first))
                .body("granted[0].reason", equalTo("longer"));
        api().get(url()).then().body("reservations", hasSize(1));
        // a shared reservation of the same pattern is another reservation
        reserve(Map.of("holder", "alice", "paths", List.of("src/app.py"), "exclusive", false));
        api().get(url()).then().body("reservations", hasSize(2));
    }

    @Test
    void renewExtendsByTheTtlButNeverRevivesAnExpiredOrReleasedReservation() {
        String a = id(reserve(Map.of("holder", "alice", "paths", List.of("a/**"), "ttlSeconds", 600)));
        String b = id(reserve(Map.of("holder", "alice", "paths", List.of("b/**"), "ttlSeconds", 600)));
        String c = id(reserve(Map.of("holder", "alice", "paths", List.of("c/**"), "ttlSeconds", 60)));
        Instant aExpires = expiresAt(a);
        release("alice", List.of(b)).statusCode(200);
        clock.advance(Duration.ofSeconds(120)); // c has expired, a has not

        JsonPath renewed = api().contentType(ContentType.JSON)
                .body(Map.of("holder", "alice", "ids", List.of(a, b, c), "ttlSeconds", 1800))
                .post(url() + "/renew").then().statusCode(200)
                .body("renewed", hasSize(1)).body("renewed[0].id", equalTo(a))
                .body("notRenewed", hasSize(2))
                .extract().jsonPath();
        assertThat(Instant.parse(renewed.getString("renewed[0].expiresAt"))).isEqualTo(aExpires.plusSeconds(1800));
        Map<String, String> reasons = new HashMap<>();
        for (Map<String, String> entry : renewed.<Map<String, String>>getList("notRenewed")) {
            reasons.put(entry.get("id"), entry.get("reason"));
        }
        assertThat(reasons.get(b)).startsWith("released at");
        assertThat(reasons.get(c)).startsWith("expired at");
        assertThat(state(b)).isEqualTo("RELEASED");
        assertThat(state(c)).isEqualTo("EXPIRED");

        // by pattern, with the default TTL; a pattern the holder does not hold is reported
        api().contentType(ContentType.JSON).body(Map.of("holder", "alice", "patterns", List.of("a/**", "z/**")))
                .post(url() + "/renew").then().statusCode(200)
                .body("renewed[0].expiresAt", equalTo(aExpires.plusSeconds(1800 + 3600).toString()))
                .body("notRenewed[0].pattern", equalTo("z/**"))
                .body("notRenewed[0].id", nullValue());
    }

    @Test
    void aRenewalNeverPushesTheExpiryBeyondTheMaximumTtlFromNow() {
        String a = id(reserve(Map.of("holder", "alice", "paths", List.of("a/**"), "ttlSeconds", 7 * 24 * 3600)));
        JsonPath renewed = api().contentType(ContentType.JSON)
                .body(Map.of("holder", "alice", "ids", List.of(a), "ttlSeconds", 7 * 24 * 3600))
                .post(url() + "/renew").then().statusCode(200).extract().jsonPath();
        Instant renewedAt = Instant.parse(renewed.getString("renewed[0].renewedAt"));
        assertThat(Instant.parse(renewed.getString("renewed[0].expiresAt"))).isEqualTo(renewedAt.plus(Duration.ofDays(7)));
    }

    @Test
    void onlyTheHolderRenewsOrReleasesAndUnknownIdsAre404() {
        String a = id(reserve(Map.of("holder", "alice", "paths", List.of("a/**"))));
        api().contentType(ContentType.JSON).body(Map.of("holder", "bob", "ids", List.of(a)))
                .post(url() + "/renew").then().statusCode(409).body("error", equalTo("not_holder"))
                .body("message", containsString("held by alice"));
        release("bob", List.of(a)).statusCode(409).body("message", containsString("force-released"));
        release("alice", List.of(UUID.randomUUID().toString())).statusCode(404).body("error", equalTo("not_found"));
        release("alice", List.of("not-a-uuid")).statusCode(404);
        api().contentType(ContentType.JSON).body(Map.of("holder", "alice", "ids", List.of(UUID.randomUUID().toString())))
                .post(url() + "/renew").then().statusCode(404);
        api().get(url() + "/" + UUID.randomUUID()).then().statusCode(404).body("error", equalTo("not_found"));
        api().contentType(ContentType.JSON).body(Map.of("by", "bob"))
                .post(url() + "/" + UUID.randomUUID() + "/force-release").then().statusCode(404);
        // an id of another repository is unknown here
        String elsewhere = id(asAdmin().urlEncodingEnabled(false).contentType(ContentType.JSON)
                .body(Map.of("holder", "alice", "paths", List.of("a/**")))
                .post(url(repo + "-other")).then());
        release("alice", List.of(elsewhere)).statusCode(404);
        assertThat(state(a)).isEqualTo("ACTIVE");
    }

    @Test
    void releaseByIdsOrPatternsIsIdempotent() {
        List<String> ids = new ArrayList<>();
        reserve(Map.of("holder", "alice", "paths", List.of("a/**", "b/**", "c/**"))).extract().jsonPath()
                .<String>getList("granted.id").forEach(ids::add);

        release("alice", List.of(ids.get(0))).statusCode(200)
                .body("released.id", equalTo(List.of(ids.get(0))))
                .body("released[0].state", equalTo("RELEASED"))
                .body("released[0].endedBy", equalTo("alice"))
                .body("notReleased", empty());
        release("alice", List.of(ids.get(0))).statusCode(200)
                .body("released", empty())
                .body("notReleased[0].id", equalTo(ids.get(0)))
                .body("notReleased[0].reason", containsString("released at"));

        api().contentType(ContentType.JSON).body(Map.of("holder", "alice", "patterns", List.of("b/**", "c/**", "x/**")))
                .post(url() + "/release").then().statusCode(200)
                .body("released.id", equalTo(List.of(ids.get(1), ids.get(2))))
                .body("notReleased.pattern", equalTo(List.of("x/**")));
        api().contentType(ContentType.JSON).body(Map.of("holder", "alice", "patterns", List.of("b/**")))
                .post(url() + "/release").then().statusCode(200).body("released", empty());
        api().get(url()).then().body("reservations", empty());
        api().get(url() + "?state=all").then().body("reservations", hasSize(3));
    }

    @Test
    void forceReleaseIsRefusedWhileTheHolderIsActiveAndAllowedOnceStale() {
        String fresh = id(reserve(Map.of("holder", "alice", "paths", List.of("a/**"), "ttlSeconds", 86400)));
        forceRelease(fresh, "bob").statusCode(409).body("error", equalTo("not_stale"))
                .body("message", containsString("alice was last active here at"));
        api().get(url() + "/" + fresh).then().body("stale", equalTo(false));

        // alice stays active through a guard check 20 minutes in: 30 minutes of silence count from there
        clock.advance(Duration.ofMinutes(20));
        check("alice", List.of("elsewhere.txt")).statusCode(200);
        clock.advance(Duration.ofMinutes(20));
        forceRelease(fresh, "bob").statusCode(409);
        clock.advance(Duration.ofMinutes(11));
        api().get(url() + "/" + fresh).then().body("stale", equalTo(true)).body("state", equalTo("ACTIVE"));
        // who forced it is the authenticated caller, whatever the body says
        forceRelease(fresh, "bob").statusCode(200)
                .body("state", equalTo("FORCE_RELEASED")).body("endedBy", equalTo("admin"))
                .body("endNote", equalTo("alice is away"));
        // idempotent: an ended reservation is answered as it is
        forceRelease(fresh, "carol").statusCode(200).body("endedBy", equalTo("admin"));
        reserve(Map.of("holder", "bob", "paths", List.of("a/x.py"))).body("conflicts", empty());
    }

    @Test
    void anExpiredReservationCanBeForceReleased() {
        String shortLived = id(reserve(Map.of("holder", "alice", "paths", List.of("a/**"), "ttlSeconds", 60)));
        clock.advance(Duration.ofSeconds(61));
        api().get(url() + "/" + shortLived).then().body("state", equalTo("EXPIRED")).body("stale", equalTo(true));
        forceRelease(shortLived, "bob").statusCode(200).body("state", equalTo("FORCE_RELEASED"));
        forceRelease(shortLived, "bob").statusCode(200);
    }

    @Test
    void listShowsActiveOnlyByDefaultAndEverythingOnRequest() {
        reserve(Map.of("holder", "alice", "paths", List.of("a/**")));
        String expiring = id(reserve(Map.of("holder", "bob", "paths", List.of("b/**"), "ttlSeconds", 60)));
        String released = id(reserve(Map.of("holder", "bob", "paths", List.of("c/**"))));
        release("bob", List.of(released));
        clock.advance(Duration.ofSeconds(90));
        api().get(url()).then().statusCode(200).body("reservations.pattern", equalTo(List.of("a/**")));
        api().get(url() + "?state=all").then().statusCode(200)
                .body("reservations.pattern", equalTo(List.of("c/**", "b/**", "a/**")))
                .body("reservations.state", equalTo(List.of("RELEASED", "EXPIRED", "ACTIVE")));
        api().get(url() + "?state=all&holder=bob").then().body("reservations.id", equalTo(List.of(released, expiring)));
        api().get(url() + "?state=everything").then().statusCode(400).body("message", containsString("'state'"));
        api().get(url() + "?limit=0").then().statusCode(400);
    }

    @Test
    void checkNamesPathsUnderAnotherHoldersExclusiveReservationOnly() {
        reserve(Map.of("holder", "bob", "paths", List.of("src/**"), "reason", "big refactor"));
        reserve(Map.of("holder", "carol", "paths", List.of("docs/**"), "exclusive", false));
        reserve(Map.of("holder", "alice", "paths", List.of("tests/**")));
        check("alice", List.of("src/app.py", "docs/guide.md", "tests/test_a.py", "README.md", "./src//app.py"))
                .statusCode(200)
                .body("conflicts", hasSize(1))
                .body("conflicts[0].path", equalTo("src/app.py"))
                .body("conflicts[0].reservation.holder", equalTo("bob"))
                .body("conflicts[0].reservation.pattern", equalTo("src/**"))
                .body("conflicts[0].reservation.reason", equalTo("big refactor"))
                .body("conflicts[0].reservation.expiresAt", notNullValue());
        check("bob", List.of("src/app.py", "tests/x.py")).body("conflicts.path", equalTo(List.of("tests/x.py")));
        // without a holder every exclusive reservation counts
        api().contentType(ContentType.JSON).body(Map.of("paths", List.of("src/app.py", "tests/x.py")))
                .post(url() + "/check").then().statusCode(200).body("conflicts", hasSize(2));
        // a repository without reservations
        asAdmin().urlEncodingEnabled(false).contentType(ContentType.JSON)
                .body(Map.of("holder", "alice", "paths", List.of("src/app.py")))
                .post(url(repo + "-empty") + "/check").then().statusCode(200).body("conflicts", empty());
    }

    @Test
    void largeRequestsAreMatchedOnAWorkerThreadWithTheSameRules() {
        List<String> bobs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            bobs.add("m" + i + "/**");
        }
        reserve(Map.of("holder", "bob", "paths", bobs)).statusCode(200).body("granted", hasSize(50));
        // 450 patterns against 50 reservations: more pairs than are matched inline
        List<String> alices = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            alices.add("m" + (i % 60) + "/f" + i + ".py");
        }
        JsonPath reserved = reserve(Map.of("holder", "alice", "paths", alices)).statusCode(200).extract().jsonPath();
        assertThat(reserved.getList("granted")).hasSize(450);
        // m0..m49 are bob's: 50 of every 60 modules
        assertThat(reserved.getList("conflicts")).hasSize(380);
        // 1,500 paths in one check
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            paths.add("m" + (i % 100) + "/g" + i + ".md");
        }
        check("carol", paths).statusCode(200).body("conflicts", hasSize(750));
    }

    @Test
    void badInputIsRefusedWithAMessageNamingTheProblem() {
        reserve(Map.of("holder", "alice", "paths", List.of())).statusCode(400)
                .body("error", equalTo("invalid_request")).body("message", containsString("'paths' is required"));
        reserve(Map.of("holder", "alice")).statusCode(400).body("message", containsString("'paths' is required"));
        reserve(Map.of("holder", "alice", "paths", List.of("src/ok.py", "/etc/passwd"))).statusCode(400)
                .body("message", containsString("entry 2")).body("message", containsString("absolute path"));
        reserve(Map.of("holder", "alice", "paths", List.of("src/../../secret"))).statusCode(400)
                .body("message", containsString("'..'"));
        reserve(Map.of("holder", "alice", "paths", List.of("a".repeat(1025)))).statusCode(400)
                .body("message", containsString("the limit is 1024"));
        reserve(Map.of("holder", "alice", "paths", List.of("src/[abc"))).statusCode(400)
                .body("message", containsString("src/[abc"));
        reserve(Map.of("holder", "alice", "paths", List.of("src/**"), "ttlSeconds", 59)).statusCode(400)
                .body("message", equalTo("field 'ttlSeconds' must be between 60 and 604800 seconds, got 59"));
        reserve(Map.of("holder", "alice", "paths", List.of("src/**"), "ttlSeconds", 604801)).statusCode(400)
                .body("message", containsString("between 60 and 604800"));
        api().contentType(ContentType.JSON).body("{\"holder\": \"alice\", \"paths\": ").post(url()).then()
                .statusCode(400).body("error", equalTo("invalid_json"));
        api().contentType(ContentType.JSON).body(Map.of("holder", "alice")).post(url() + "/release").then()
                .statusCode(400).body("message", containsString("'ids'"));
        check("alice", List.of()).statusCode(400).body("message", containsString("'paths' is required"));
        check("alice", List.of("/abs/path.py")).statusCode(400).body("message", containsString("absolute path"));
        check("alice", List.of("src/../x.py")).statusCode(400).body("message", containsString("'..'"));
        api().get(url()).then().body("reservations", empty());
    }

    @Test
    void matchEverythingPatternsNeedTheFlagAndThenCarryAWarning() {
        for (String everything : List.of("*", "**", "**/*")) {
            reserve(Map.of("holder", "alice", "paths", List.of(everything))).statusCode(400)
                    .body("message", containsString("matches every path"))
                    .body("message", containsString("allowMatchEverything"));
        }
        reserve(Map.of("holder", "alice", "paths", List.of("**"), "allowMatchEverything", true)).statusCode(200)
                .body("granted[0].pattern", equalTo("**"))
                .body("warnings", hasSize(1))
                .body("warnings[0]", containsString("reserves the whole repository"));
        reserve(Map.of("holder", "bob", "paths", List.of("deep/inside/file.txt"))).body("conflicts", hasSize(1));
    }

    @ParameterizedTest(name = "{0} covers {1}")
    @CsvSource({
            "src/api, src/api/handler.py",
            "src/*,   src/a/b.py",
            "build,   build/x.o",
    })
    void aReservationCoversWhatIsBelowThePathsItMatchesAsInGit(String reserved, String below) {
        reserve(Map.of("holder", "bob", "paths", List.of(reserved), "reason", "refactoring")).statusCode(200)
                .body("warnings", empty());
        reserve(Map.of("holder", "alice", "paths", List.of(below))).statusCode(200)
                .body("conflicts", hasSize(1))
                .body("conflicts[0].pattern", equalTo(below))
                .body("conflicts[0].examplePath", equalTo(below))
                .body("conflicts[0].reservation.pattern", equalTo(reserved));
        check("alice", List.of(below, "elsewhere.txt")).statusCode(200)
                .body("conflicts.path", equalTo(List.of(below)))
                .body("conflicts[0].reservation.pattern", equalTo(reserved));
    }

    @Test
    void aPathReservedBeforeAGlobBelowItConflictsWithAPathBothCover() {
        reserve(Map.of("holder", "bob", "paths", List.of("src/api"))).statusCode(200);
        reserve(Map.of("holder", "alice", "paths", List.of("src/api/*.py"))).statusCode(200)
                .body("conflicts", hasSize(1))
                .body("conflicts[0].examplePath", equalTo("src/api/a.py"));
        reserve(Map.of("holder", "carol", "paths", List.of("src/apix/*.py"))).statusCode(200)
                .body("conflicts", empty());
    }

    @Test
    void aReservationThatManyRequestedPathsMeetIsWrittenInFullInEachOfTheirConflicts() {
        String lock = id(reserve(Map.of("holder", "bob", "paths", List.of("*.lock"), "reason", "lockfile upgrade")));
        reserve(Map.of("holder", "carol", "paths", List.of("src/api"))).statusCode(200);
        List<String> paths = List.of("src/api/a.py", "src/api/b.py", "docs/c.md", "docs/d.lock");
        JsonPath answer = reserve(Map.of("holder", "alice", "paths", paths)).statusCode(200).extract().jsonPath();

        assertThat(answer.getList("conflicts.reservation.pattern"))
                .containsExactly("*.lock", "src/api", "*.lock", "src/api", "*.lock", "*.lock");
        assertThat(answer.getList("conflicts.examplePath")).containsExactly("src/api/a.py/a.lock", "src/api/a.py",
                "src/api/b.py/a.lock", "src/api/b.py", "docs/c.md/a.lock", "docs/d.lock");
        Map<String, Object> asListed = api().get(url() + "/" + lock).then().statusCode(200).extract().jsonPath()
                .getMap("$");
        assertThat(asListed).containsEntry("reason", "lockfile upgrade").containsEntry("endedAt", null)
                .containsKeys("id", "repository", "holder", "createdAt", "renewedAt", "expiresAt", "state", "stale");
        List<Map<String, Object>> views = answer.getList("conflicts.reservation");
        assertThat(views.stream().filter(view -> view.get("pattern").equals("*.lock")).toList())
                .hasSize(4).allSatisfy(view -> assertThat(view).isEqualTo(asListed));
    }

    @Test
    void theSweepMarksExpiredReservationsAndDeletesThemAfterTheRetention() {
        String shortLived = id(reserve(Map.of("holder", "alice", "paths", List.of("a/**"), "ttlSeconds", 60)));
        String longLived = id(reserve(Map.of("holder", "alice", "paths", List.of("b/**"), "ttlSeconds", 86400)));
        clock.advance(Duration.ofSeconds(61));
        // the periodic sweep may run in between; either way the state afterwards is what counts
        service.sweep().await().atMost(Duration.ofSeconds(10));
        api().get(url() + "/" + shortLived).then().body("state", equalTo("EXPIRED")).body("endedBy", equalTo("drep"))
                .body("stale", equalTo(false));
        assertThat(state(longLived)).isEqualTo("ACTIVE");
        // swept ones stay expired: neither renewable nor releasable
        api().contentType(ContentType.JSON).body(Map.of("holder", "alice", "ids", List.of(shortLived)))
                .post(url() + "/renew").then().statusCode(200).body("renewed", empty());

        clock.advance(Duration.ofDays(8));
        service.sweep().await().atMost(Duration.ofSeconds(10));
        api().get(url() + "/" + shortLived).then().statusCode(404);
        api().get(url() + "/" + longLived).then().statusCode(404);
    }

    @Test
    void theSweepAndTheWebhookDeliveryPurgeAreScheduled() {
        // every replica runs them on its own schedule (drep.reservations.sweep-interval, hourly)
        assertThat(scheduler.getScheduledJob("drep-reservation-sweep")).isNotNull();
        assertThat(scheduler.getScheduledJob("drep-webhook-delivery-retention")).isNotNull();
        assertThat(scheduler.getScheduledJob("drep-scanner-job-gauges")).isNotNull();
        assertThat(scheduler.isRunning()).isTrue();
    }

    // ---- helpers

    ValidatableResponse reserve(Map<String, ?> body) {
        return api().contentType(ContentType.JSON).body(body).when().post(url()).then();
    }

    ValidatableResponse release(String holder, List<String> ids) {
        return api().contentType(ContentType.JSON).body(Map.of("holder", holder, "ids", ids)).post(url() + "/release").then();
    }

    ValidatableResponse forceRelease(String id, String by) {
        return api().contentType(ContentType.JSON).body(Map.of("by", by, "note", "alice is away"))
                .post(url() + "/" + id + "/force-release").then();
    }

    ValidatableResponse check(String holder, List<String> paths) {
        return api().contentType(ContentType.JSON).body(Map.of("holder", holder, "paths", paths))
                .post(url() + "/check").then();
    }

    String state(String id) {
        return api().get(url() + "/" + id).then().statusCode(200).extract().path("state");
    }

    Instant expiresAt(String id) {
        return Instant.parse(api().get(url() + "/" + id).then().statusCode(200).extract().path("expiresAt"));
    }

    static String id(ValidatableResponse reserved) {
        return reserved.statusCode(200).extract().path("granted[0].id");
    }

    static List<String> conflictHolders(ValidatableResponse reserved) {
        return reserved.statusCode(200).extract().jsonPath().getList("conflicts.reservation.holder");
    }

    /** Sends the URL as written: the repository key is already encoded ({@code %2F}). */
    static RequestSpecification api() {
        return asAdmin().urlEncodingEnabled(false);
    }

    String url() {
        return url(repo);
    }

    static String url(String repository) {
        return "/api/repositories/" + URLEncoder.encode(repository, StandardCharsets.UTF_8) + "/reservations";
    }
}
