package dev.drep.launcher.review;

import dev.drep.launcher.LauncherEnvironment;
import dev.drep.launcher.LauncherException;
import dev.drep.launcher.stack.AdminTokenFile;
import dev.drep.launcher.stack.DataFolder;
import dev.drep.launcher.stack.DrepHome;
import dev.drep.launcher.stack.HealthProbe;
import dev.drep.launcher.stack.LocalStack;
import dev.drep.launcher.stack.RunningStack;
import dev.drep.launcher.stack.ServiceKind;
import dev.drep.launcher.stack.ServiceProperties;
import dev.drep.launcher.stack.StackConfig;
import dev.drep.launcher.stack.StackState;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The stack a command reviews with ({@code drep review}, {@code drep eval}): the healthy stack of {@code drep up} in the
 * data folder when there is one, else a temporary stack started for the command and stopped by {@link #close()}. A
 * temporary stack's folder (with the services' logs) is deleted on close unless the command failed.
 */
public final class ReviewStack implements AutoCloseable {
    private ScannerClient client;
    private final Path logs;
    private final LocalStack temporary;
    private final Path work;
    private final Thread hook;
    private final AtomicBoolean interrupted;
    private volatile boolean failed;

    private ReviewStack(ScannerClient client, Path logs, LocalStack temporary, Path work, Thread hook,
            AtomicBoolean interrupted) {
        this.client = client;
        this.logs = logs;
        this.temporary = temporary;
        this.work = work;
        this.hook = hook;
        this.interrupted = interrupted;
    }

    /**
     * @param localRoots   folders the temporary stack may review and write to (the repositories and output folders)
     * @param startTimeout how long a temporary stack may take to start
     * @param note         where to say what happens ("Using the drep stack of ...")
     */
    public static ReviewStack open(LauncherEnvironment env, DataFolder data, List<String> localRoots, Duration startTimeout,
            Consumer<String> note) throws LauncherException, InterruptedException {
        Optional<StackState> running = RunningStack.findHealthy(data, new HealthProbe());
        if (running.isPresent()) {
            URI scanner = URI.create(running.get().service(ServiceKind.SCANNER).orElseThrow().url());
            note.accept("Using the drep stack of " + data.root() + " (scanner at " + scanner + ")");
            return new ReviewStack(new ScannerClient(scanner, AdminTokenFile.read(data)), data.logs(), null, null, null,
                    new AtomicBoolean());
        }
        if (Files.exists(data.stateFile())) {
            note.accept("The drep stack of " + data.root() + " is not running or not healthy ('drep status' shows why); "
                    + "using a temporary one");
        }
        return startTemporary(env, localRoots, startTimeout, note);
    }

    private static ReviewStack startTemporary(LauncherEnvironment env, List<String> localRoots, Duration startTimeout,
            Consumer<String> note) throws LauncherException, InterruptedException {
        DrepHome home = DrepHome.resolve(env);
        home.requireJars();
        Path work;
        try {
            work = Files.createTempDirectory("drep-review-");
        } catch (IOException e) {
            throw new LauncherException("Cannot create a temporary folder for the services: " + e.getMessage()
                    + ". Check that TMPDIR is writable.", e);
        }
        Path logs = work.resolve("logs");
        // this stack serves this command: its repositories and output folders are roots too
        StackConfig config = new StackConfig(home, work, logs, null, null, false, startTimeout,
                ServiceProperties.withLocalRoots(env.variables(), localRoots),
                StackConfig.currentJava(), ServiceProperties.JVM_OPTIONS, ServiceProperties.LOOPBACK);
        LocalStack stack = new LocalStack(config);
        AtomicBoolean interrupted = new AtomicBoolean();
        // Ctrl-C or a kill must not leave four JVMs and a PostgreSQL behind
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            stack.close();
            deleteTree(work);
        }, "drep-review-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        ReviewStack opened = new ReviewStack(null, logs, stack, work, hook, interrupted);
        try {
            note.accept("Starting a temporary drep stack: PostgreSQL, an AMQP broker and 4 services (first start takes "
                    + "longest)");
            long started = System.nanoTime();
            stack.start(note::accept);
            note.accept(String.format(Locale.ROOT, "drep is ready (%.0f s)", (System.nanoTime() - started) / 1e9));
            opened.client = new ScannerClient(stack.url(ServiceKind.SCANNER), stack.credentials().admin());
            return opened;
        } catch (LauncherException e) {
            LauncherException explained = opened.explain(e);
            opened.close();
            throw explained;
        } catch (RuntimeException | InterruptedException e) {
            opened.failed = true;
            opened.close();
            throw e;
        }
    }

    /** @return the scanner's API, with the stack's admin token */
    public ScannerClient client() {
        return client;
    }

    /** @return where the services' logs are */
    public Path logs() {
        return logs;
    }

    /**
     * @return {@code e} with what a user needs to know about this stack: that it was stopped by an interruption, or
     *         where its logs are kept; the temporary stack's folder is then kept on close
     */
    public LauncherException explain(LauncherException e) {
        failed = true;
        if (interrupted.get()) {
            // the services died because the hook stopped them: that is not their failure
            return new LauncherException("Interrupted: the temporary drep stack was stopped.", e);
        }
        if (temporary == null) {
            return e;
        }
        List<String> details = new ArrayList<>(e.details());
        details.add("The services' logs are kept in " + logs);
        return new LauncherException(e.getMessage(), details, e);
    }

    /** Stops a temporary stack (and deletes its folder unless {@link #explain} was called); nothing for a running one. */
    @Override
    public void close() {
        if (temporary == null) {
            return;
        }
        temporary.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs and finds the stack closed
        }
        if (!failed) {
            deleteTree(work);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the system cleans it eventually
        }
    }
}
