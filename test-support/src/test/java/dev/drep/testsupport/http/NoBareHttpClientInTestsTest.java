package dev.drep.testsupport.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps tests on {@link TestHttpClient}: a JDK {@code HttpClient} a test builds itself has no request timeout, so a
 * service that stops answering hangs the CI run (once for ten minutes) instead of failing the test with the request
 * named. Scans the Java sources of every module's tests, its {@code load/} runs and the {@code benchmarks} module;
 * production code ({@code src/main} of the other modules) and test-support itself are not scanned. An exception in
 * {@link #ALLOWED} that allows nothing any more (its file gone, or no longer building a client) fails it too.
 */
class NoBareHttpClientInTestsTest {
    private static final Pattern BARE_CLIENT = Pattern.compile(
            "HttpClient\\s*\\.\\s*new(HttpClient|Builder)\\s*\\(|import\\s+static\\s+java\\.net\\.http\\.HttpClient\\.");

    /** Sources that may build their own client, by path from the repository's root, each with the reason. */
    private static final Map<String, String> ALLOWED = Map.of(
            "llm-gateway/src/test/java/dev/drep/gateway/load/GatewayLoadRun.java",
            "a load run started by llm-gateway/load/run.sh, not by the test suite: its measured client is part of "
                    + "what it measures (a connect timeout, a timeout on every request); its other calls go through "
                    + "TestHttpClient",
            "benchmarks/src/main/java/dev/drep/benchmarks/HttpRoundTripFloor.java",
            "measures the JDK client's exchange itself; the benchmarks jar does not carry test-support; its "
                    + "requests have a timeout, named when it fires (NamedTimeouts)",
            "benchmarks/src/main/java/dev/drep/benchmarks/ReservationLoad.java",
            "the benchmarks jar does not carry test-support; every request has its own timeout, named when it "
                    + "fires (NamedTimeouts)",
            "benchmarks/src/main/java/dev/drep/benchmarks/AnalyzerThroughputBenchmark.java",
            "the benchmarks jar does not carry test-support; the client is part of what it measures, and every "
                    + "request has its own timeout, named when it fires (NamedTimeouts)",
            "benchmarks/src/main/java/dev/drep/benchmarks/StackThroughputBenchmark.java",
            "the benchmarks jar does not carry test-support; every request has its own timeout, named when it "
                    + "fires (NamedTimeouts)");

    @Test
    void noTestBuildsItsOwnJdkHttpClient() throws IOException {
        Path root = repositoryRoot();
        List<String> offenders = scannedSources(root).stream()
                .filter(file -> !ALLOWED.containsKey(file))
                .filter(file -> BARE_CLIENT.matcher(read(root.resolve(file))).find())
                .sorted()
                .toList();

        assertThat(offenders).as("""
                These test sources build a JDK HttpClient themselves (HttpClient.newHttpClient() or \
                HttpClient.newBuilder()), which has no request timeout: a service that stops answering hangs the run. \
                Use dev.drep.testsupport.http.TestHttpClient (create(), withRequestTimeout(..), openWebSocket(..)) \
                instead, or, if a test truly needs its own client, add it with the reason to %s.ALLOWED""",
                NoBareHttpClientInTestsTest.class.getSimpleName()).isEmpty();
    }

    @Test
    void everyAllowedSourceStillBuildsItsOwnClient() throws IOException {
        Path root = repositoryRoot();
        assertThat(staleAllowances(root, scannedSources(root), ALLOWED)).as("""
                These %s.ALLOWED entries allow nothing any more: drop them (or correct the path), so that the list \
                names only sources that still build their own client and a stale entry cannot let a bare client \
                written there again pass unseen""", NoBareHttpClientInTestsTest.class.getSimpleName()).isEmpty();
    }

    @Test
    void aStaleAllowanceIsNamed() throws IOException {
        Path root = repositoryRoot();
        Map<String, String> allowed = Map.of(
                "llm-gateway/src/test/java/dev/drep/gateway/NoSuchTest.java", "gone",
                "llm-gateway/src/test/java/dev/drep/gateway/BudgetTest.java", "never built a client",
                "launcher/src/main/java/dev/drep/launcher/token/TokenApi.java", "production code, not scanned",
                "benchmarks/src/main/java/dev/drep/benchmarks/HttpRoundTripFloor.java", "still builds one");
        assertThat(staleAllowances(root, scannedSources(root), allowed)).containsExactly(
                "launcher/src/main/java/dev/drep/launcher/token/TokenApi.java: not a scanned source (production "
                        + "code, test-support, or no such file)",
                "llm-gateway/src/test/java/dev/drep/gateway/BudgetTest.java: builds no JDK HttpClient any more",
                "llm-gateway/src/test/java/dev/drep/gateway/NoSuchTest.java: not a scanned source (production "
                        + "code, test-support, or no such file)");
    }

    @Test
    void theScanSeesTheTestsOfTheServices() throws IOException {
        Path root = repositoryRoot();
        assertThat(scannedSources(root)).as("the scan must reach the services' tests, or it guards nothing")
                .contains("llm-gateway/src/test/java/dev/drep/gateway/BudgetTest.java",
                        "scanner-service/src/test/java/dev/drep/scanner/reservation/ReservationRaceTest.java",
                        "benchmarks/src/main/java/dev/drep/benchmarks/HttpRoundTripFloor.java")
                .doesNotContain("test-support/src/main/java/dev/drep/testsupport/http/TestHttpClient.java",
                        "launcher/src/main/java/dev/drep/launcher/token/TokenApi.java");
    }

    /**
     * @return the entries of {@code allowed} that allow nothing: a path the scan does not reach (no such file any
     *         more, or production code), or a source that no longer builds a client; each as {@code path: why},
     *         sorted
     */
    private static List<String> staleAllowances(Path root, List<String> scanned, Map<String, String> allowed) {
        return allowed.keySet().stream().sorted().map(path -> {
            if (!scanned.contains(path)) {
                return path + ": not a scanned source (production code, test-support, or no such file)";
            }
            return BARE_CLIENT.matcher(read(root.resolve(path))).find() ? null
                    : path + ": builds no JDK HttpClient any more";
        }).filter(Objects::nonNull).toList();
    }

    /**
     * Java sources of tests, load runs and benchmarks, by path from {@code root}; not production code
     * ({@code src/main} outside benchmarks), test-support, build output or hidden folders.
     */
    private static List<String> scannedSources(Path root) throws IOException {
        List<String> sources = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                String path = relative(root, dir);
                boolean skipped = !dir.equals(root) && (name.startsWith(".") || name.equals("target")
                        || name.equals("node_modules") || path.equals("test-support")
                        || (path.endsWith("src/main") && !path.startsWith("benchmarks/")));
                return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (file.toString().endsWith(".java")) {
                    sources.add(relative(root, file));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return sources;
    }

    private static String relative(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + " to look for a bare HttpClient", e);
        }
    }

    /** The directory holding the parent pom and this module, found upwards from the working directory. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("test-support"))
                    && Files.isDirectory(dir.resolve("llm-gateway"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no drep checkout above " + Path.of("").toAbsolutePath()
                + ": run this test from within the repository (mvn -pl test-support test)");
    }
}
