package dev.drep.launcher.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for a drep service, packaged by {@link FakeServices} as a {@code quarkus-run.jar}. Uses the
 * JDK only, so that the jar needs nothing else. Its behaviour comes from {@code fake-service.properties}
 * inside the jar: {@code mode} is {@code ready}, {@code scanner} (ready, plus the scanner's review API),
 * {@code never-ready} (answers 503) or {@code exit} (prints a few lines and exits with 3);
 * {@code report.dir} receives {@code <name>.properties} with the settings it was started with.
 *
 * <p>The fake scanner reads the scenario from a file {@code fake-scenario} in the reviewed folder:
 * {@code warning}, {@code error}, {@code nothing}, {@code failed}, {@code reject}, {@code endless} (never
 * finishes) or {@code outage} (as {@code warning}, but on the second look at the job the scanner stops listening
 * for {@value #OUTAGE_SECONDS} s, as a restarting scanner does).
 */
public final class FakeService {
    private static final Pattern STRING_FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    static final int OUTAGE_SECONDS = 4;

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private FakeService() {
    }

    public static void main(String[] args) throws Exception {
        Properties config = new Properties();
        try (InputStream in = FakeService.class.getResourceAsStream("/fake-service.properties")) {
            if (in != null) {
                config.load(in);
            }
        }
        String mode = System.getProperty("fake.mode", config.getProperty("mode", "ready"));
        String name = config.getProperty("name", "service");
        report(config.getProperty("report.dir"), name);
        System.out.println(name + " starting in mode " + mode);
        if (mode.equals("exit")) {
            for (int i = 1; i <= 60; i++) {
                System.out.println("starting line " + i);
            }
            System.out.println("boom: could not connect to the database");
            System.exit(3);
        }
        int port = Integer.parseInt(System.getProperty("quarkus.http.port"));
        int managementPort = Integer.parseInt(System.getProperty("quarkus.management.port"));
        FakeService service = new FakeService();
        service.listen(port, managementPort, mode);
        System.out.println(name + " listening on " + port + ", health on " + managementPort);
    }

    private volatile HttpServer server;
    private volatile HttpServer management;

    // like a Quarkus service with its management interface on: the API on one port, health on another
    private void listen(int port, int managementPort, String mode) throws IOException {
        HttpServer health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), managementPort), 0);
        health.createContext("/q/health/ready", exchange -> respond(exchange, mode.equals("never-ready") ? 503 : 200,
                "{\"status\":\"" + (mode.equals("never-ready") ? "DOWN" : "UP") + "\"}"));
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        if (mode.equals("scanner")) {
            http.createContext("/api/reviews", this::submit);
            http.createContext("/api/jobs/", this::job);
        }
        health.start();
        http.start();
        management = health;
        server = http;
    }

    // stops listening (connections are refused) and listens again on the same port a few seconds later
    private void outage() {
        HttpServer http = server;
        HttpServer health = management;
        int port = http.getAddress().getPort();
        int managementPort = health.getAddress().getPort();
        Thread restart = new Thread(() -> {
            http.stop(0);
            health.stop(0);
            System.out.println("scanner down for " + OUTAGE_SECONDS + " s");
            try {
                Thread.sleep(OUTAGE_SECONDS * 1000L);
                listen(port, managementPort, "scanner");
                System.out.println("scanner back on " + port);
            } catch (Exception e) {
                e.printStackTrace();
                System.exit(4);
            }
        }, "outage");
        restart.start();
    }

    // what the launcher passed: system properties, and which provider variables the environment holds
    private static void report(String dir, String name) throws IOException {
        if (dir == null) {
            return;
        }
        Map<String, String> seen = new TreeMap<>();
        System.getProperties().forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith("quarkus.") || key.startsWith("amqp-") || key.startsWith("drep.")) {
                seen.put(key, v.toString());
            }
        });
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("DREP_")) {
                seen.put("env." + k, "length " + v.length());
            }
        });
        String key = System.getenv("DREP_GATEWAY_PROVIDER_API_KEY");
        String commandLine = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
        seen.put("key.on.command.line", Boolean.toString(key != null && commandLine.contains(key)));
        seen.put("jvm.arguments", commandLine);
        Properties out = new Properties();
        out.putAll(seen);
        Files.createDirectories(Path.of(dir));
        try (OutputStream o = Files.newOutputStream(Path.of(dir, name + ".properties"))) {
            out.store(o, null);
        }
    }

    private void submit(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> fields = new TreeMap<>();
        Matcher m = STRING_FIELD.matcher(body);
        while (m.find()) {
            fields.put(m.group(1), m.group(2).replace("\\\\", "\\").replace("\\\"", "\""));
        }
        String repository = fields.get("repository");
        Path scenarioFile = Path.of(repository).resolve("fake-scenario");
        String scenario = Files.isRegularFile(scenarioFile) ? Files.readString(scenarioFile).strip() : "warning";
        if (scenario.equals("reject")) {
            respond(exchange, 400, "{\"error\":\"invalid_request\",\"message\":\"" + repository
                    + " is not a git repository: give the folder of a git working tree\"}");
            return;
        }
        Job job = new Job("job-" + ids.incrementAndGet(), scenario, repository, fields.get("outputDir"));
        jobs.put(job.id, job);
        respond(exchange, 202, job.view("QUEUED", 0, 0, "[]", null));
    }

    private void job(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/api/jobs/".length());
        Job job = jobs.get(id);
        if (job == null) {
            respond(exchange, 404, "{\"error\":\"not_found\",\"message\":\"no job " + id + "\"}");
            return;
        }
        respond(exchange, 200, job.next());
        if (job.scenario.equals("outage") && job.polls == 2) {
            outage();
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static final class Job {
        final String id;
        final String scenario;
        final String repository;
        final String outputDir;
        int polls;

        Job(String id, String scenario, String repository, String outputDir) {
            this.id = id;
            this.scenario = scenario;
            this.repository = repository;
            this.outputDir = outputDir;
        }

        synchronized String next() throws IOException {
            polls++;
            switch (scenario) {
                case "endless":
                    return view("ANALYZING", 2, 0, "[]", null);
                case "nothing":
                    return view("DONE", 0, 0, "[]", "nothing to review: base and head are the same commit");
                case "failed":
                    return polls < 2 ? view("ANALYZING", 2, 0, "[]", null)
                            : view("FAILED", 2, 1, "[]", "analyzer-service crashed on unit 2");
                default:
                    if (polls < 3) {
                        return view("ANALYZING", 2, polls - 1, "[]", null);
                    }
                    Path out = Path.of(outputDir);
                    Files.createDirectories(out);
                    Files.writeString(out.resolve("review.json"), reviewJson());
                    Files.writeString(out.resolve("review.md"), "# drep review\n");
                    Files.writeString(out.resolve("review.sarif"), "{}");
                    String outputs = "[" + quote(out.resolve("review.md").toString()) + ","
                            + quote(out.resolve("review.json").toString()) + ","
                            + quote(out.resolve("review.sarif").toString()) + "]";
                    return view("DONE", 2, 2, outputs, null);
            }
        }

        String reviewJson() {
            String warning = "{\"rule\":\"md.trailing-whitespace\",\"path\":\"README.md\",\"line\":3,"
                    + "\"severity\":\"WARNING\",\"message\":\"trailing whitespace\",\"suggestion\":\"text\"}";
            String error = "{\"rule\":\"llm.bug\",\"path\":\"src/Main.java\",\"line\":12,"
                    + "\"severity\":\"ERROR\",\"message\":\"possible null dereference\",\"suggestion\":null}";
            boolean withError = scenario.equals("error");
            return "{\"jobId\":" + quote(id) + ",\"repository\":" + quote(repository)
                    + ",\"base\":\"1111111111111111111111111111111111111111\""
                    + ",\"head\":\"2222222222222222222222222222222222222222\""
                    + ",\"summary\":\"Fake review: " + (withError ? "1 error, 1 warning" : "1 warning") + ".\""
                    + ",\"counts\":{" + (withError ? "\"ERROR\":1," : "") + "\"WARNING\":1}"
                    + ",\"findings\":[" + warning + (withError ? "," + error : "") + "]"
                    + ",\"notAnalyzed\":[],\"deleted\":[]}";
        }

        String view(String status, int total, int done, String outputs, String message) {
            return "{\"id\":" + quote(id) + ",\"status\":" + quote(status) + ",\"repository\":" + quote(repository)
                    + ",\"base\":null,\"head\":null,\"unitsTotal\":" + total + ",\"unitsDone\":" + done
                    + ",\"findings\":{},\"outputs\":" + outputs + ",\"message\":" + quote(message)
                    + ",\"createdAt\":\"2026-01-01T00:00:00Z\",\"finishedAt\":null}";
        }
    }
}
