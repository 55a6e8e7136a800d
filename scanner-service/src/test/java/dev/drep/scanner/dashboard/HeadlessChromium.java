package dev.drep.scanner.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium} in headless mode, one process per page: a screenshot or the DOM after rendering. Each
 * run gets a new profile folder, no network beyond the page, and at most {@link #TIMEOUT_SECONDS}; it is killed
 * (with its children) when it takes longer.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final int TIMEOUT_SECONDS = 60;
    static final int WIDTH = 1280;
    static final int HEIGHT = 1600;

    private HeadlessChromium() {
    }

    /** Fails the test, naming the package to install, when the browser is missing. */
    static void requireInstalled() {
        if (!Files.isExecutable(BINARY)) {
            fail(BINARY + " is missing: the dashboard is tested in a real headless browser. Install Debian's "
                    + "chromium package: apt-get update && apt-get install -y chromium (.ci/run does this)");
        }
    }

    /** Renders {@code url} at {@value #WIDTH}x{@value #HEIGHT} into the PNG {@code file}. */
    static void screenshot(URL url, Path file) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        run(List.of("--window-size=" + WIDTH + "," + HEIGHT, "--force-device-scale-factor=1",
                "--hide-scrollbars", "--screenshot=" + file.toAbsolutePath(), url.toString()), null);
        assertThat(file).as("chromium wrote the screenshot of " + url).isNotEmptyFile();
    }

    /** @return the DOM of {@code url} after rendering, serialized as HTML */
    static String dumpDom(URL url, Path file) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        run(List.of("--dump-dom", url.toString()), file);
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static void run(List<String> arguments, Path stdout) throws Exception {
        requireInstalled();
        Path profile = Files.createTempDirectory("drep-chromium");
        Path log = Files.createTempFile("drep-chromium", ".log");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-proxy-server",
                "--user-data-dir=" + profile));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.redirectOutput(stdout == null ? ProcessBuilder.Redirect.appendTo(log.toFile())
                : ProcessBuilder.Redirect.to(stdout.toFile()));
        Process process = builder.start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command + "\n" + tail(log));
            }
            if (process.exitValue() != 0) {
                fail("chromium exited with " + process.exitValue() + ": " + command + "\n" + tail(log));
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            delete(profile);
            Files.deleteIfExists(log);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Removes the throw-away profile; what a dying child process still held is left to the temp folder's cleanup. */
    private static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("could not remove chromium's profile " + folder + ": " + e);
        }
    }
}
