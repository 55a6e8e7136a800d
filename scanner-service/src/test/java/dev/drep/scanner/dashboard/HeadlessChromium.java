package dev.drep.scanner.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drep.testsupport.http.TestHttpClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium} in headless mode, driven as one browser session through the Chrome DevTools Protocol, so
 * that a test can sign in through the form and then open pages with the cookie it was given, as a person would. Each
 * browser gets a new profile folder and no network beyond the pages it is sent to; every step has at most
 * {@link #TIMEOUT_SECONDS}, and {@link #close()} kills the browser with its children.
 *
 * <p>The protocol is spoken over the JDK's own WebSocket client: the few commands the tests need (navigate, evaluate,
 * insert text, capture a screenshot, read cookies) do not justify a library.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final int TIMEOUT_SECONDS = 60;
    static final int WIDTH = 1280;
    static final int HEIGHT = 1600;
    private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_SECONDS);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://[^\\s]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final List<String> log = new ArrayList<>();
    private final TestHttpClient http = TestHttpClient.withRequestTimeout(TIMEOUT);
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private WebSocket socket;

    private HeadlessChromium(Process process, Path profile) {
        this.process = process;
        this.profile = profile;
    }

    /** Fails the test, naming the package to install, when the browser is missing. */
    static void requireInstalled() {
        if (!Files.isExecutable(BINARY)) {
            fail(BINARY + " is missing: the dashboard is tested in a real headless browser. Install Debian's "
                    + "chromium package: apt-get update && apt-get install -y chromium (.ci/run does this)");
        }
    }

    /** @return a started browser with one blank page of {@value #WIDTH}x{@value #HEIGHT} CSS pixels at scale 1 */
    static HeadlessChromium start() throws Exception {
        requireInstalled();
        Path profile = Files.createTempDirectory("drep-chromium");
        List<String> command = List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-proxy-server", "--hide-scrollbars", "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--window-size=" + WIDTH + "," + HEIGHT, "--user-data-dir=" + profile,
                "about:blank");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        HeadlessChromium browser = new HeadlessChromium(process, profile);
        try {
            browser.connect(browser.devToolsAddress());
            browser.send("Page.enable", Map.of());
            browser.send("Network.enable", Map.of());
            browser.send("Emulation.setDeviceMetricsOverride",
                    Map.of("width", WIDTH, "height", HEIGHT, "deviceScaleFactor", 1, "mobile", false));
        } catch (Exception | AssertionError e) {
            browser.close();
            throw e;
        }
        return browser;
    }

    /** Opens {@code url} as if typed into the address bar, and waits until the page (after redirects) has loaded. */
    HeadlessChromium open(URL url) throws Exception {
        awaitLoad(() -> {
            JsonNode result = send("Page.navigate", Map.of("url", url.toString()));
            if (result.hasNonNull("errorText")) {
                fail("chromium could not open " + url + ": " + result.get("errorText").asText());
            }
        });
        return this;
    }

    /** Types {@code text} into the field {@code selector} as a keyboard would (focus, then text input). */
    HeadlessChromium type(String selector, String text) throws Exception {
        evaluate("(() => { const field = document.querySelector(" + quote(selector) + "); "
                + "if (!field) { throw new Error('no field ' + " + quote(selector) + "); } field.focus(); return true; })()");
        send("Input.insertText", Map.of("text", text));
        return this;
    }

    /** Clicks the button {@code selector} and waits until the page it leads to has loaded. */
    HeadlessChromium clickAndWait(String selector) throws Exception {
        awaitLoad(() -> evaluate("(() => { const button = document.querySelector(" + quote(selector) + "); "
                + "if (!button) { throw new Error('no button ' + " + quote(selector) + "); } button.click(); return true; })()"));
        return this;
    }

    /**
     * Signs in to the dashboard as a person would: opens {@code page}, which must send a browser without a session to
     * the sign-in form, types {@code token} into the form and submits it.
     *
     * @return the browser, on the page the form led to
     */
    HeadlessChromium signIn(URL page, String token) throws Exception {
        open(page);
        assertThat(location()).as("a browser without a session is sent to the sign-in page").contains("/dashboard/sign-in");
        return type("#token", token).clickAndWait("#sign-in");
    }

    /** @return the address of the page shown */
    String location() throws Exception {
        return evaluate("location.href").asText();
    }

    /** @return the DOM of the page shown, serialized as HTML, also written to {@code file} for a look */
    String dom(Path file) throws Exception {
        String html = evaluate("document.documentElement.outerHTML").asText();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, html, StandardCharsets.UTF_8);
        return html;
    }

    /** Writes what the page shows, {@value #WIDTH}x{@value #HEIGHT}, into the PNG {@code file}. */
    void screenshot(Path file) throws Exception {
        JsonNode shot = send("Page.captureScreenshot", Map.of("format", "png"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
        assertThat(file).as("chromium's screenshot").isNotEmptyFile();
    }

    /** @return the cookies the browser would send to {@code url}, as CDP's Network.Cookie objects */
    List<JsonNode> cookies(URL url) throws Exception {
        JsonNode result = send("Network.getCookies", Map.of("urls", List.of(url.toString())));
        List<JsonNode> cookies = new ArrayList<>();
        result.get("cookies").forEach(cookies::add);
        return cookies;
    }

    /** Stops the browser and its children, and removes its profile. */
    @Override
    public void close() throws Exception {
        try {
            if (socket != null) {
                socket.abort();
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            delete(profile);
        }
    }

    private URI devToolsAddress() throws Exception {
        CompletableFuture<URI> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (log) {
                        log.add(line);
                    }
                    Matcher listening = LISTENING.matcher(line);
                    if (listening.find()) {
                        address.complete(URI.create(listening.group(1)));
                    }
                }
            } catch (IOException e) {
                address.completeExceptionally(e);
            }
            address.completeExceptionally(new IllegalStateException("chromium exited before it listened"));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        URI browser = within(address, "chromium's 'DevTools listening on' line");
        // the page target chromium opened for about:blank
        URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
        HttpResponse<String> targets = http.send(HttpRequest.newBuilder(list).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode target : JSON.readTree(targets.body())) {
            if ("page".equals(target.path("type").asText())) {
                return URI.create(target.get("webSocketDebuggerUrl").asText());
            }
        }
        throw new AssertionError("chromium has no page target: " + targets.body());
    }

    private void connect(URI page) throws Exception {
        socket = within(http.openWebSocket(page, new Listener()),
                "the DevTools connection to " + page);
    }

    /** Sends a command and returns its result; fails the test on a protocol error. */
    private JsonNode send(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        within(socket.sendText(JSON.writeValueAsString(message), true), method);
        JsonNode reply = within(answer, method);
        if (reply.has("error")) {
            fail("chromium refused " + method + ": " + reply.get("error"));
        }
        return reply.get("result");
    }

    /** @return the value of the JavaScript {@code expression} on the page shown */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            fail("the page threw on " + expression + ": " + result.get("exceptionDetails"));
        }
        return result.get("result").path("value");
    }

    /** Runs {@code action} and waits for the load event of the top-level document it leads to. */
    private void awaitLoad(Step action) throws Exception {
        events.clear();
        action.run();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            JsonNode event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null) {
                fail("the page did not load within " + TIMEOUT_SECONDS + " s\n" + tail());
            }
            if ("Page.loadEventFired".equals(event.path("method").asText())) {
                return;
            }
        }
    }

    private <T> T within(CompletionStage<T> stage, String what) throws Exception {
        try {
            return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("chromium did not answer " + what + " within " + TIMEOUT_SECONDS + " s\n" + tail(), e);
        } catch (ExecutionException e) {
            throw new AssertionError("chromium failed on " + what + ": " + e.getCause() + "\n" + tail(), e.getCause());
        }
    }

    private String tail() {
        synchronized (log) {
            return String.join("\n", log.subList(Math.max(0, log.size() - 30), log.size()));
        }
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
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

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** Collects each text message (which may come in parts) and hands it to its command's future or to the events. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                String text = message.toString();
                message.setLength(0);
                try {
                    JsonNode json = JSON.readTree(text);
                    if (json.has("id")) {
                        CompletableFuture<JsonNode> answer = pending.remove(json.get("id").asInt());
                        if (answer != null) {
                            answer.complete(json);
                        }
                    } else {
                        events.add(json);
                    }
                } catch (IOException e) {
                    pending.values().forEach(answer -> answer.completeExceptionally(e));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(answer -> answer.completeExceptionally(error));
        }
    }
}
