package dev.drep.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.drep.testsupport.git.TestRepository;
import dev.drep.testsupport.llm.FakeLlmServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One review through {@code drep up} with every service exporting its spans to an OTLP/HTTP receiver
 * this test runs, and writing JSON logs: the job is one trace with spans from all four services (the
 * AMQP hops and the provider call included), and every log line about it names the job and that trace
 * and never the provider's API key.
 */
class ObservabilityEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "sk-observability-secret-4711";
    private static final Set<String> SERVICES = Set.of("scanner-service", "analyzer-service", "llm-gateway",
            "review-publisher");
    private static final Pattern ACCEPTED = Pattern.compile("Review job ([0-9a-f-]{36}) accepted");

    @TempDir
    static Path work;
    private static HttpServer receiver;
    private static final List<ExportedSpan> spans = new CopyOnWriteArrayList<>();
    private static FakeLlmServer llm;
    private static Drep drep;
    private static String jobId;
    private static PrintedProfile profile;

    /** One span as exported, with the service that exported it. */
    record ExportedSpan(String service, String traceId, String name, Span.SpanKind kind, Map<String, String> attributes) {
    }

    @BeforeAll
    static void reviewWithTracesAndJsonLogs() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                collect(ExportTraceServiceRequest.parseFrom(body.readAllBytes()));
                exchange.sendResponseHeaders(200, -1);
            } catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        receiver.start();
        llm = FakeLlmServer.start().expectApiKey(API_KEY);

        Path repository = work.resolve("repo");
        try (TestRepository repo = TestRepository.init(repository)) {
            repo.write("README.md", "# traced\n\nSome text.\n").commit("base");
            repo.write("README.md", "# traced\n\nSome text.\nA line with trailing space \n")
                    .write("src/Greeter.java", "public class Greeter {\n    public String greet(String name) {\n"
                            + "        return \"Hello \" + name;\n    }\n}\n")
                    .commit("head");
        }
        drep = new Drep(work.resolve("data"), Map.of(
                "DREP_LLM_BASE_URL", llm.baseUrl(),
                "DREP_LLM_MODEL", FakeLlmServer.DEFAULT_MODEL,
                "DREP_LLM_API_KEY", API_KEY,
                "DREP_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.getAddress().getPort(),
                "DREP_OTLP_PROTOCOL", "http/protobuf",
                "DREP_LOG_FORMAT", "json"));
        Drep.Run up = drep.run(work, "up", "--free-ports");
        assertThat(up.exitCode()).as("drep up: %s%n%s", up.out(), up.err()).isZero();

        Drep.Run review = drep.run(work, "review", repository.toString(), "--out", work.resolve("out").toString(),
                "--profile");
        assertThat(review.exitCode()).as("%s%n%s", review.out(), review.err()).isIn(0, 1);
        Matcher accepted = ACCEPTED.matcher(review.err() + review.out());
        assertThat(accepted.find()).as("the job id in %s", review.err()).isTrue();
        jobId = accepted.group(1);
        profile = new PrintedProfile(review.out());
        assertThat(llm.chatRequests()).as("the LLM analyzers reached the provider").isNotEmpty();
    }

    @AfterAll
    static void stop() {
        if (drep != null) {
            drep.run(work, "down");
        }
        if (llm != null) {
            llm.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void theJobIsOneTraceWithSpansFromAllFourServices() throws Exception {
        String trace = jobTrace();
        // each service exports in batches of its own: its spans of the AMQP hops may come a batch later
        awaitKinds(trace, Span.SpanKind.SPAN_KIND_CONSUMER, "analyzer-service", "review-publisher", "scanner-service");
        awaitKinds(trace, Span.SpanKind.SPAN_KIND_PRODUCER, "scanner-service", "analyzer-service", "review-publisher");

        List<ExportedSpan> ofJob = spans.stream().filter(s -> s.traceId().equals(trace)).toList();
        assertThat(ofJob).extracting(ExportedSpan::service).containsAll(SERVICES);
        // the AMQP hops: the analyzer, the publisher and the scanner consume messages of this trace
        assertThat(ofJob).filteredOn(s -> s.kind() == Span.SpanKind.SPAN_KIND_CONSUMER)
                .extracting(ExportedSpan::service)
                .contains("analyzer-service", "review-publisher", "scanner-service");
        assertThat(ofJob).filteredOn(s -> s.kind() == Span.SpanKind.SPAN_KIND_PRODUCER)
                .extracting(ExportedSpan::service)
                .contains("scanner-service", "analyzer-service", "review-publisher");
        // the provider call, under the gateway's server span: its traceparent is what reaches the provider
        assertThat(ofJob).filteredOn(s -> s.service().equals("llm-gateway") && s.name().startsWith("chat "))
                .isNotEmpty()
                .allSatisfy(s -> {
                    assertThat(s.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
                    assertThat(s.attributes()).containsEntry("gen_ai.request.model", FakeLlmServer.DEFAULT_MODEL)
                            .containsEntry("server.address", "127.0.0.1");
                });
        assertThat(llm.chatRequests()).allSatisfy(request ->
                assertThat(request.header("traceparent")).as("the provider gets the trace").hasValueSatisfying(
                        header -> assertThat(header).contains(trace)));
        // every provider call of the gateway belongs to this job's trace: none started a trace of its own
        assertThat(spans).filteredOn(s -> s.service().equals("llm-gateway") && s.name().startsWith("chat "))
                .extracting(ExportedSpan::traceId).containsOnly(trace);
        assertThat(spans).allSatisfy(s -> assertThat(s.attributes().values()).noneMatch(v -> v.contains(API_KEY)));
    }

    @Test
    void theProfileShowsTheLlmTimeAndAccountsForTheWallTime() {
        // the analyzer split its gateway calls into the admission wait and the call itself
        assertThat(profile.busyMillis("inside the LLM call")).as("%s", profile).isPositive();
        assertThat(profile.llmCalls()).as("%s", profile).isPositive();
        assertThat(profile.busyMillis("parsing and analysis")).isPositive();
        assertThat(profile.wallMillis("git fetch and diff")).isPositive();
        assertThat(profile.unaccountedPercent()).as("share of wall time not accounted for%n%s", profile)
                .isLessThanOrEqualTo(5.0);
    }

    @Test
    void jsonLogLinesAboutTheJobNameItAndItsTraceAndNeverTheApiKey() throws Exception {
        String trace = jobTrace();
        Path logs = work.resolve("data").resolve("logs");
        for (String service : SERVICES) {
            String text = Files.readString(logs.resolve(service + ".log"), StandardCharsets.UTF_8);
            assertThat(text).as("%s.log", service).doesNotContain(API_KEY);
            List<JsonNode> lines = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("{")) {
                    lines.add(JSON.readTree(line));
                }
            }
            assertThat(lines).as("%s writes JSON log lines", service).isNotEmpty();
            List<JsonNode> aboutJob = lines.stream()
                    .filter(l -> l.path("message").asText().contains(jobId) || jobId.equals(mdc(l, "jobId")))
                    .toList();
            assertThat(aboutJob).as("%s logs something about the job", service).isNotEmpty();
            assertThat(aboutJob).as("%s: every line about the job", service).allSatisfy(line -> {
                assertThat(mdc(line, "jobId")).as("jobId of %s", line).isEqualTo(jobId);
                assertThat(mdc(line, "traceId")).as("traceId of %s", line).isEqualTo(trace);
            });
        }
    }

    /** The trace id of the job: the trace of the gateway's provider calls, once all four services exported into it. */
    private static String jobTrace() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Map<String, Set<String>> servicesByTrace = spans.stream().collect(Collectors.groupingBy(
                    ExportedSpan::traceId, Collectors.mapping(ExportedSpan::service, Collectors.toSet())));
            List<String> complete = servicesByTrace.entrySet().stream()
                    .filter(e -> e.getValue().containsAll(SERVICES)).map(Map.Entry::getKey).toList();
            if (!complete.isEmpty() || System.nanoTime() > deadline) {
                assertThat(complete).as("traces with spans of all four services; spans by trace: %s", servicesByTrace)
                        .hasSize(1);
                return complete.get(0);
            }
            Thread.sleep(500); // the services export in batches, every few seconds
        }
    }

    /**
     * Waits (up to 30 s) until the trace has spans of that kind from each of the services; the assertions that
     * follow say what is missing.
     */
    private static void awaitKinds(String trace, Span.SpanKind kind, String... services) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Set<String> seen = spans.stream().filter(s -> s.traceId().equals(trace) && s.kind() == kind)
                    .map(ExportedSpan::service).collect(Collectors.toSet());
            if (seen.containsAll(List.of(services))) {
                return;
            }
            Thread.sleep(250);
        }
    }

    private static String mdc(JsonNode line, String key) {
        JsonNode value = line.path("mdc").get(key);
        return value == null ? null : value.asText();
    }

    private static void collect(ExportTraceServiceRequest request) {
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = attributes(resource.getResource().getAttributesList()).get("service.name");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    spans.add(new ExportedSpan(service, HexFormat.of().formatHex(span.getTraceId().toByteArray()),
                            span.getName(), span.getKind(), attributes(span.getAttributesList())));
                }
            }
        }
    }

    private static Map<String, String> attributes(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().hasStringValue()
                ? kv.getValue().getStringValue() : kv.getValue().toString().strip(), (a, b) -> b));
    }
}
