package dev.drep.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Load client for the whole reserve call over HTTP: a repository with 100 active reservations (10 holders, the
 * agents' mix of {@link PathMatchingBenchmark}), then sequential reserves of 50 paths by another holder, each
 * followed by an unmeasured release of what it was granted so that every measured call meets exactly 100 active
 * reservations. Prints latency percentiles of the reserve calls. The seed's figure for this call: 44.6 ms;
 * target p50 at most 5 ms.
 *
 * <p>Only talks to a loopback address, and stops after {@code --calls} calls or {@code --max-seconds}, whichever
 * comes first. Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.drep.benchmarks.ReservationLoad
 * --url http://127.0.0.1:8081 [--calls 2000] [--warmup 500] [--max-seconds 120] [--shape literal|mixed]}
 * ({@code literal}: 50 file paths; {@code mixed}: 50 patterns, 40% of them globs or directories). The token in
 * {@code DREP_TOKEN} (scope {@code reservations:write} and {@code reservations:admin}), if set, is sent as
 * {@code Authorization: Bearer}.
 */
public final class ReservationLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] EXTENSIONS = {"py", "java", "md", "json", "ts", "go", "yaml"};

    // own client: the benchmarks jar has no test-support (TestHttpClient); each request has a timeout, named when it
    // fires (NamedTimeouts)
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI reservations;

    private ReservationLoad(URI base, String repository) {
        this.reservations = URI.create(base + "/api/repositories/"
                + URLEncoder.encode(repository, StandardCharsets.UTF_8) + "/reservations");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        URI base = URI.create(options.getOrDefault("url", "http://127.0.0.1:8081").replaceAll("/+$", ""));
        if (!InetAddress.getByName(base.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("this load client only talks to a loopback address, not " + base.getHost());
        }
        int calls = Integer.parseInt(options.getOrDefault("calls", "2000"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "500"));
        long maxNanos = Duration.ofSeconds(Long.parseLong(options.getOrDefault("max-seconds", "120"))).toNanos();
        String shape = options.getOrDefault("shape", "literal");

        Random random = new Random(42);
        ReservationLoad load = new ReservationLoad(base, "bench-" + UUID.randomUUID() + "/repo");
        List<String> seeded = reservations(random, 100, 20);
        for (int holder = 0; holder < 10; holder++) {
            load.reserve("holder" + holder, seeded.subList(holder * 10, holder * 10 + 10), holder % 3 != 0);
        }
        List<String> paths = switch (shape) {
            case "literal" -> paths(random, 50, 20);
            case "mixed" -> reservations(random, 50, 20);
            default -> throw new IllegalArgumentException("--shape is literal or mixed, not " + shape);
        };
        JsonNode first = load.reserve("bench", paths, true);
        load.release("bench", ids(first));
        System.out.printf(Locale.ROOT, "repository %s: 100 active reservations; each call reserves %d %s paths and"
                + " reports %d conflicts%n", load.reservations, paths.size(), shape, first.path("conflicts").size());

        long started = System.nanoTime();
        for (int i = 0; i < warmup && System.nanoTime() - started < maxNanos / 2; i++) {
            load.release("bench", ids(load.reserve("bench", paths, true)));
        }
        long[] latencies = new long[calls];
        long[] untilAnswered = new long[calls];
        int done = 0;
        long measuring = System.nanoTime();
        while (done < calls && System.nanoTime() - started < maxNanos) {
            long t0 = System.nanoTime();
            JsonNode granted = load.reserve("bench", paths, true);
            untilAnswered[done] = load.answeredAt - t0;
            latencies[done++] = System.nanoTime() - t0;
            load.release("bench", ids(granted));
        }
        double seconds = (System.nanoTime() - measuring) / 1e9;
        long[] measured = Arrays.copyOf(latencies, done);
        Arrays.sort(measured);
        System.out.printf(Locale.ROOT, "reserve, %d calls (after %d warm-up calls), one client: p50 %.2f ms, p90 %.2f ms,"
                        + " p99 %.2f ms, max %.2f ms, mean %.2f ms; %.0f reserve+release pairs/s%n",
                done, warmup, percentile(measured, 50), percentile(measured, 90), percentile(measured, 99),
                measured[measured.length - 1] / 1e6, Arrays.stream(measured).average().orElse(0) / 1e6, done / seconds);
        // the same calls, timed until the whole answer has arrived, before the client parses its JSON
        long[] answered = Arrays.copyOf(untilAnswered, done);
        Arrays.sort(answered);
        System.out.printf(Locale.ROOT, "reserve until the answer has arrived (before this client parses it): p50 %.2f ms,"
                        + " p90 %.2f ms, p99 %.2f ms%n",
                percentile(answered, 50), percentile(answered, 90), percentile(answered, 99));
    }

    /** When the last answer had fully arrived (System.nanoTime), before its JSON was parsed. */
    private long answeredAt;

    private JsonNode reserve(String holder, List<String> paths, boolean exclusive) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("holder", holder);
        body.put("paths", paths);
        body.put("exclusive", exclusive);
        body.put("ttlSeconds", 3600);
        body.put("reason", "load test");
        JsonNode answer = post(reservations, body);
        if (answer.path("granted").size() != paths.size()) {
            throw new IllegalStateException("expected " + paths.size() + " granted reservations: " + answer);
        }
        return answer;
    }

    private void release(String holder, List<String> ids) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("holder", holder);
        body.put("ids", ids);
        post(URI.create(reservations + "/release"), body);
    }

    private JsonNode post(URI uri, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        String token = System.getenv("DREP_TOKEN");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = NamedTimeouts.send(http, request
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        answeredAt = System.nanoTime();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " from " + uri + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static List<String> ids(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.path("granted").forEach(r -> ids.add(r.path("id").asText()));
        return ids;
    }

    private static double percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --name value pairs; got " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    /** Reservation patterns as agents make them; the same mix as {@link PathMatchingBenchmark}. */
    static List<String> reservations(Random random, int count, int modules) {
        List<String> patterns = new ArrayList<>(count);
        while (patterns.size() < count) {
            String module = "services/svc" + random.nextInt(modules);
            int roll = random.nextInt(100);
            String pattern;
            if (roll < 40) {
                pattern = module + "/" + file(random);
            } else if (roll < 65) {
                pattern = module + (random.nextBoolean() ? "/src/" : "/src/**");
            } else if (roll < 85) {
                pattern = module + "/src/*." + EXTENSIONS[random.nextInt(EXTENSIONS.length)];
            } else if (roll < 95) {
                pattern = switch (random.nextInt(4)) {
                    case 0 -> "**/test_" + random.nextInt(50) + "*.py";
                    case 1 -> "docs/**/*." + EXTENSIONS[random.nextInt(EXTENSIONS.length)];
                    case 2 -> "*.lock";
                    default -> "tests/module" + random.nextInt(modules) + "/**";
                };
            } else {
                pattern = module + "/src/handler" + random.nextInt(10) + "*";
            }
            if (!patterns.contains(pattern)) {
                patterns.add(pattern);
            }
        }
        return patterns;
    }

    /** File paths of the same repository. */
    static List<String> paths(Random random, int count, int modules) {
        List<String> paths = new ArrayList<>(count);
        while (paths.size() < count) {
            int roll = random.nextInt(10);
            String path;
            if (roll < 7) {
                path = "services/svc" + random.nextInt(modules) + "/" + file(random);
            } else if (roll < 8) {
                path = "docs/guide/chapter" + random.nextInt(30) + ".md";
            } else if (roll < 9) {
                path = "tests/module" + random.nextInt(modules) + "/test_" + random.nextInt(80) + "_case.py";
            } else {
                path = "tools/scripts/release" + random.nextInt(5) + ".sh";
            }
            if (!paths.contains(path)) {
                paths.add(path);
            }
        }
        return paths;
    }

    private static String file(Random random) {
        String ext = EXTENSIONS[random.nextInt(EXTENSIONS.length)];
        return switch (random.nextInt(3)) {
            case 0 -> "src/handler" + random.nextInt(40) + "." + ext;
            case 1 -> "src/model/entity" + random.nextInt(40) + "." + ext;
            default -> "README.md";
        };
    }
}
