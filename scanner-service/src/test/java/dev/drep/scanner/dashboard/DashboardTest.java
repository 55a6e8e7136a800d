package dev.drep.scanner.dashboard;

import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.Stage;
import dev.drep.contracts.StageSpan;
import dev.drep.scanner.PublisherStubResource;
import dev.drep.scanner.job.Job;
import dev.drep.scanner.profile.JobStages;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard as a person sees it: real jobs in the database, the pages rendered by Debian's chromium in
 * headless mode after signing in through the form, the DOM read for the facts and the screenshot's pixels counted for
 * the charts. The rendered
 * DOMs and screenshots stay in {@code target/dashboard} for a look.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class DashboardTest {
    private static final Path ARTIFACTS = Path.of("target", "dashboard");
    private static final int SWATCH_PIXELS = 12 * 12;
    /** the profile job's designed shares of its 80 s wall time; 5 % is left unaccounted */
    private static final Map<Stage, Double> SHARES = new EnumMap<>(Map.of(Stage.QUEUE, 0.10, Stage.GIT, 0.06,
            Stage.PLANNING, 0.05, Stage.ANALYSIS, 0.20, Stage.LLM_WAIT, 0.05, Stage.LLM_CALL, 0.40, Stage.DATABASE, 0.05,
            Stage.PUBLISHING, 0.04));
    private static final long WALL_MILLIS = 80_000;

    @TestHTTPResource("/dashboard")
    URL dashboard;
    @Inject
    JobStages stages;

    private final List<UUID> created = new ArrayList<>();
    private final DashboardTokens tokens = new DashboardTokens();

    @AfterEach
    void removeJobs() throws Throwable {
        tokens.revokeAll();
        if (created.isEmpty()) {
            return;
        }
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Job.delete("id in ?1", created)));
    }

    @Test
    void theDashboardRendersAJobInAHeadlessBrowser() throws Throwable {
        HeadlessChromium.requireInstalled();
        String reader = tokens.create(null, "jobs:read").secret();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String docs = "acme/docs-" + suffix;
        String api = "acme/api-" + suffix;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        // a finished job with a designed profile and LLM use, one of the same repository yesterday, and a few others
        Job profiled = job(docs, JobStatus.DONE, now.minusMillis(WALL_MILLIS), now, new int[] {2, 5, 1}, "3.0");
        profiled.llmCalls = 12;
        profiled.llmCacheHits = 2;
        profiled.promptTokens = 40_000;
        profiled.completionTokens = 6_000;
        Job yesterday = job(docs, JobStatus.DONE, now.minus(Duration.ofDays(1)).minusSeconds(60),
                now.minus(Duration.ofDays(1)), new int[] {0, 0, 0}, "1.0");
        Job listed = job(api, JobStatus.DONE, now.minusSeconds(20), now, new int[] {3, 1, 4}, "2.0");
        Job failed = job(api, JobStatus.FAILED, now.minusSeconds(5), now, new int[] {0, 0, 0}, "0");
        failed.message = "the publisher gave up";
        Job running = job(api, JobStatus.ANALYZING, now.minusSeconds(2), null, new int[] {0, 0, 0}, "0");
        List<StageSpan> spans = designedSpans(profiled.createdAt);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Job.persist(List.of(profiled,
                yesterday, listed, failed, running)).chain(() -> stages.add(profiled.id, spans))));

        // the review-publisher's acceptance table: a rule of a model with both outcomes, one nobody answered yet
        PublisherStubResource.server().stubFor(WireMock.get(WireMock.urlPathEqualTo("/internal/acceptance"))
                .withQueryParam("repository", WireMock.absent()).willReturn(WireMock.okJson("{\"rows\": ["
                        + "{\"rule\": \"llm.naming\", \"model\": \"large\", \"posted\": 4, \"accepted\": 0,"
                        + " \"rejected\": 0, \"rate\": null},"
                        + "{\"rule\": \"llm.bug\", \"model\": \"large\", \"posted\": 9, \"accepted\": 3,"
                        + " \"rejected\": 1, \"rate\": 0.75}]}")));

        // signed in through the form with a jobs:read token, one browser session for every page
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.signIn(dashboard, reader);
            assertThat(browser.location()).as("the form leads to the dashboard").isEqualTo(dashboard.toString());
            rendersTheJobs(browser, docs, api, profiled, listed, failed, running);
        }
    }

    private void rendersTheJobs(HeadlessChromium browser, String docs, String api, Job profiled, Job listed, Job failed,
            Job running) throws Exception {
        // the list: the job's row with its status, repository and findings, and the running one
        String list = browser.open(dashboard).dom(ARTIFACTS.resolve("dashboard.html"));
        String row = row(list, listed.id);
        assertThat(row).contains(api, ">DONE<", "class=\"num errors\">3<", "class=\"num warnings\">1<",
                "class=\"num infos\">4<", "2.0000", "20.0 s", "href=\"dashboard/jobs/" + listed.id + "\"");
        assertThat(row(list, failed.id)).contains(">FAILED<", "the publisher gave up");
        assertThat(row(list, running.id)).contains(">ANALYZING<", "(running)");
        // the acceptance table, rules with a rate first
        Matcher acceptance = Pattern.compile("<table id=\"acceptance\">.*?<tbody>(.*?)</tbody>", Pattern.DOTALL)
                .matcher(list);
        assertThat(acceptance.find()).as("the acceptance table").isTrue();
        assertThat(acceptance.group(1).replaceAll("\\s+", "")).isEqualTo(
                "<tr><tdclass=\"mono\">llm.bug</td><tdclass=\"mono\">large</td><tdclass=\"num\">9</td>"
                        + "<tdclass=\"num\">3</td><tdclass=\"num\">1</td><tdclass=\"num\">75.0%</td></tr>"
                        + "<tr><tdclass=\"mono\">llm.naming</td><tdclass=\"mono\">large</td><tdclass=\"num\">4</td>"
                        + "<tdclass=\"num\">0</td><tdclass=\"num\">0</td><tdclass=\"num\">–</td></tr>");
        // the spend chart's legend names each repository with its colour; docs spent 3 + 1, api 2
        Map<String, String> legend = legend(list);
        assertThat(legend).containsKeys(docs, api);
        assertThat(list).contains("4.0000", "40,000");

        Path listShot = ARTIFACTS.resolve("dashboard.png");
        browser.screenshot(listShot);
        Map<Integer, Integer> listPixels = pixels(listShot);
        int docsPixels = count(listPixels, legend.get(docs));
        int apiPixels = count(listPixels, legend.get(api));
        assertThat(apiPixels).as("pixels of the api repository's spend").isGreaterThan(500);
        assertThat((double) docsPixels / apiPixels).as("docs spent twice what api spent").isBetween(1.7, 2.2);

        // one job: every stage labelled, each bar as long as its share
        URL jobPage = new URL(dashboard, "dashboard/jobs/" + profiled.id);
        String page = browser.open(jobPage).dom(ARTIFACTS.resolve("job.html"));
        for (Stage stage : Stage.values()) {
            assertThat(page).contains(stage.label());
        }
        assertThat(page).contains("not accounted for", docs, ">DONE<", "errors <span class=\"errors\">2</span>",
                "warnings <span class=\"warnings\">5</span>", "infos <span class=\"infos\">1</span>",
                "40.0 %", "20.0 %", "1 min 20 s", "12 LLM calls (2 from cache)", "40,000 prompt", "6,000 completion",
                "cost 3.0000");

        Path jobShot = ARTIFACTS.resolve("job.png");
        browser.screenshot(jobShot);
        Map<Integer, Integer> jobPixels = pixels(jobShot);
        Map<Stage, Integer> counted = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            int bar = (int) Math.round(SHARES.get(stage) * ProfileChart.BAR_WIDTH) * ProfileChart.BAR_HEIGHT;
            int seen = count(jobPixels, Colours.of(stage));
            counted.put(stage, seen);
            assertThat(seen).as("pixels of %s (%s), a bar of %d plus its legend swatch", stage, Colours.of(stage), bar)
                    .isBetween((int) ((bar + SWATCH_PIXELS) * 0.9), (int) ((bar + SWATCH_PIXELS) * 1.1));
        }
        assertThat((double) counted.get(Stage.LLM_CALL) / counted.get(Stage.ANALYSIS))
                .as("a 40 % share has about twice the pixels of a 20 % one").isBetween(1.8, 2.2);
        assertThat(count(jobPixels, Colours.UNACCOUNTED)).as("the 5 % no service accounted for").isGreaterThan(300);
    }

    @Test
    void anUnknownJobIsA404PageNamingTheId() {
        String id = UUID.randomUUID().toString();
        asAdmin().when().get("/dashboard/jobs/" + id)
                .then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("No job with id <span class=\"mono\">" + id + "</span>"));
        asAdmin().urlEncodingEnabled(true).when().get("/dashboard/jobs/{id}", "<b>not-a-job</b>")
                .then().statusCode(404)
                .body(containsString("&lt;b&gt;not-a-job&lt;/b&gt;"), not(containsString("<b>not-a-job")));
    }

    @Test
    void userControlledTextIsShownAsText() throws Throwable {
        String repository = "acme/<script>alert(\"drep\")</script>-" + UUID.randomUUID().toString().substring(0, 6);
        Instant now = Instant.now();
        Job job = job(repository, JobStatus.FAILED, now.minusSeconds(3), now, new int[] {0, 0, 0}, "0.25");
        job.llmCalls = 1;
        job.message = "<img src=x onerror=alert(1)> could not be parsed";
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(job::persist));

        String escapedName = "acme/&lt;script&gt;alert(&quot;drep&quot;)&lt;/script&gt;-";
        asAdmin().when().get("/dashboard")
                .then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString(escapedName), not(containsString("<script>")),
                        containsString("&lt;img src=x onerror=alert(1)&gt;"), not(containsString("<img")));
        asAdmin().when().get("/dashboard/jobs/" + job.id)
                .then().statusCode(200)
                .body(containsString(escapedName), not(containsString("<script>")), not(containsString("<img")));
    }

    @Test
    void whenThePublisherCannotBeAskedTheDashboardShowsTheJobsAndSaysWhyTheAcceptanceTableIsMissing() {
        PublisherStubResource.server().stubFor(WireMock.get(WireMock.urlPathEqualTo("/internal/acceptance"))
                .willReturn(WireMock.aResponse().withStatus(500)));

        asAdmin().when().get("/dashboard").then().statusCode(200)
                .body(containsString("<p id=\"acceptance\">Not available: could not read the acceptance of drep's"
                        .replace("'", "&#39;")), containsString("<h2>Jobs (newest first)</h2>"));
    }

    @Test
    void ruleAndModelNamesFromThePublisherAreShownAsText() {
        PublisherStubResource.server().stubFor(WireMock.get(WireMock.urlPathEqualTo("/internal/acceptance"))
                .willReturn(WireMock.okJson("{\"rows\": [{\"rule\": \"<img src=x>\", \"model\": \"<b>m</b>\","
                        + " \"posted\": 1, \"accepted\": 1, \"rejected\": 0, \"rate\": 1.0}]}")));

        asAdmin().when().get("/dashboard").then().statusCode(200)
                .body(containsString("&lt;img src=x&gt;"), containsString("&lt;b&gt;m&lt;/b&gt;"),
                        not(containsString("<img")), not(containsString("<b>m")));
    }

    /** Sequential spans of the designed shares from the job's start, and a second unit's LLM call beside the first. */
    private static List<StageSpan> designedSpans(Instant start) {
        List<StageSpan> spans = new ArrayList<>();
        Instant at = start;
        for (Stage stage : List.of(Stage.QUEUE, Stage.GIT, Stage.PLANNING, Stage.ANALYSIS, Stage.LLM_WAIT,
                Stage.LLM_CALL, Stage.DATABASE, Stage.PUBLISHING)) {
            Instant end = at.plusMillis(Math.round(SHARES.get(stage) * WALL_MILLIS));
            String source = switch (stage) {
                case QUEUE, GIT, PLANNING -> "scanner";
                case PUBLISHING -> "publisher";
                default -> "unit-1";
            };
            spans.add(new StageSpan(stage, source, at, end));
            if (stage == Stage.LLM_CALL) {
                spans.add(new StageSpan(stage, "unit-2", at.plusSeconds(2), end.minusSeconds(2)));
            }
            at = end;
        }
        return spans;
    }

    private Job job(String repository, JobStatus status, Instant createdAt, Instant finishedAt, int[] findings,
            String cost) {
        Job job = new Job();
        job.id = UUID.randomUUID();
        job.repository = repository;
        job.status = status;
        job.createdAt = createdAt;
        job.finishedAt = finishedAt;
        job.unitsTotal = 2;
        job.unitsDone = status.isFinal() ? 2 : 1;
        job.errorCount = findings[0];
        job.warningCount = findings[1];
        job.infoCount = findings[2];
        job.llmCost = new BigDecimal(cost);
        job.llmCalls = job.llmCost.signum() > 0 ? 4 : 0;
        created.add(job.id);
        return job;
    }

    /** @return the table row of the job in the DOM */
    private static String row(String dom, UUID id) {
        Matcher row = Pattern.compile("<tr id=\"job-" + id + "\">(.*?)</tr>", Pattern.DOTALL).matcher(dom);
        assertThat(row.find()).as("the dashboard lists job " + id).isTrue();
        return row.group(1);
    }

    /** @return repository to colour, from the spend chart's legend */
    private static Map<String, String> legend(String dom) {
        Matcher table = Pattern.compile("<table id=\"spend-totals\">(.*?)</table>", Pattern.DOTALL).matcher(dom);
        assertThat(table.find()).as("the spend legend").isTrue();
        Matcher entry = Pattern.compile("fill=\"(#[0-9a-f]{6})\"[^>]*>(?:</rect>)?</svg></td><td>([^<]*)</td>")
                .matcher(table.group(1));
        Map<String, String> legend = new HashMap<>();
        while (entry.find()) {
            legend.put(entry.group(2), entry.group(1));
        }
        return legend;
    }

    /** @return how many pixels of the screenshot have each RGB value; fails on a blank screenshot */
    private static Map<Integer, Integer> pixels(Path png) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG screenshot").isNotNull();
        assertThat(image.getWidth()).isEqualTo(HeadlessChromium.WIDTH);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                counts.merge(image.getRGB(x, y) & 0xffffff, 1, Integer::sum);
            }
        }
        int white = counts.getOrDefault(0xffffff, 0);
        assertThat(image.getWidth() * image.getHeight() - white).as("non-white pixels of " + png).isGreaterThan(20_000);
        assertThat(counts).as("colours in " + png).hasSizeGreaterThan(20);
        return counts;
    }

    private static int count(Map<Integer, Integer> pixels, String colour) {
        return pixels.getOrDefault(Integer.parseInt(colour.substring(1), 16), 0);
    }
}
