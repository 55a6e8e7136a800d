package dev.drep.launcher.stack;

import dev.drep.embedded.LocalBroker;
import dev.drep.embedded.LocalPostgres;
import dev.drep.launcher.LauncherException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * A whole drep on this machine: embedded PostgreSQL and Artemis in this JVM, and the four services as
 * child processes. Used once by {@code drep review} and kept running by the {@code drep up} daemon.
 *
 * <p>Construct, register {@link #close()} where it must run (a shutdown hook), then {@link #start}: a
 * close that arrives while the stack is starting stops what has started and keeps the rest from
 * starting, so Ctrl-C never leaves processes behind.
 */
public final class LocalStack implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final StackConfig config;
    private final StackPorts ports;
    private final StackCredentials credentials = StackCredentials.generate();
    private final Map<ServiceKind, ServiceProcess> services = Collections.synchronizedMap(new EnumMap<>(ServiceKind.class));
    private final Map<ServiceKind, ServiceSpec> specs = Collections.synchronizedMap(new EnumMap<>(ServiceKind.class));
    private volatile LocalPostgres postgres;
    private volatile LocalBroker broker;
    private InfraLogging logging;
    private boolean closed;

    /** Prepares a stack (choosing its ports); nothing runs until {@link #start}. */
    public LocalStack(StackConfig config) {
        this.config = config;
        this.ports = StackPorts.choose(config.preferDefaultPorts());
    }

    /**
     * Starts PostgreSQL, the broker and the services, and waits until every service is ready.
     *
     * @param progress told about each step, for a person
     * @throws ServiceStartException when a service exits or is not ready in time (everything is stopped)
     * @throws LauncherException     when PostgreSQL or the broker do not start (everything is stopped)
     */
    public void start(Consumer<String> progress) throws LauncherException, InterruptedException {
        config.home().requireJars();
        try {
            synchronized (this) {
                if (closed) {
                    throw new LauncherException("Stopped before it started.");
                }
                logging = InfraLogging.redirectTo(infraLog());
            }
            progress.accept("Starting PostgreSQL and the AMQP broker");
            startInfrastructure();
            ServiceProperties.Database database = ServiceProperties.Database.of(postgres);
            for (ServiceKind kind : List.of(ServiceKind.LLM_GATEWAY, ServiceKind.REVIEW_PUBLISHER, ServiceKind.ANALYZER,
                    ServiceKind.SCANNER)) {
                launch(kind, database);
            }
            progress.accept("Starting " + String.join(", ", Arrays.stream(ServiceKind.values())
                    .map(ServiceKind::module).toList()) + " (logs in " + config.logs() + ")");
            long started = System.nanoTime();
            new Readiness(new HealthProbe()).awaitAll(new ArrayList<>(services.values()), config.startTimeout(),
                    s -> progress.accept(s.name() + " is ready (" + seconds(started) + ")"));
        } catch (LauncherException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        } catch (IOException e) {
            close();
            throw new LauncherException("Could not start the drep services: " + e.getMessage(), e);
        }
    }

    /** @return the stack's tokens: the launcher calls the services with {@link StackCredentials#admin()} */
    public StackCredentials credentials() {
        return credentials;
    }

    /** @return the ports in use */
    public StackPorts ports() {
        return ports;
    }

    /** @return the base URL of a service */
    public URI url(ServiceKind kind) {
        return URI.create("http://127.0.0.1:" + ports.of(kind));
    }

    /** @return the base URL of a service's management interface (health and metrics) */
    public URI managementUrl(ServiceKind kind) {
        return URI.create("http://127.0.0.1:" + ports.managementOf(kind));
    }

    /** @return the running service processes */
    public Map<ServiceKind, ServiceProcess> services() {
        synchronized (services) {
            return Map.copyOf(services);
        }
    }

    /** @return the JDBC URL of the stack's database, or null before it started */
    public String jdbcUrl() {
        LocalPostgres pg = postgres;
        return pg == null ? null : pg.jdbcUrl();
    }

    /** @return where PostgreSQL and the broker log */
    public Path infraLog() {
        return config.logs().resolve("infra.log");
    }

    /**
     * Starts a service again after it exited (the daemon's supervision), with the same ports and settings.
     *
     * @return the new process
     */
    public ServiceProcess restart(ServiceKind kind) throws IOException {
        synchronized (this) {
            if (closed) {
                throw new IOException("the stack is stopping");
            }
            ServiceProcess process = ServiceProcess.start(specs.get(kind));
            services.put(kind, process);
            return process;
        }
    }

    /**
     * Stops the broker and starts it again on the same port with the same journal (the daemon's answer to a
     * {@link StackDaemon#RESTART_BROKER} request): the services lose their AMQP connections and reconnect; messages
     * the journal holds survive (an in-memory broker's do not, so only a stack with a broker folder is restarted).
     */
    public void restartBroker() throws Exception {
        synchronized (this) {
            if (closed || broker == null || config.brokerData() == null) {
                throw new IOException(closed ? "the stack is stopping" : "the broker is not persistent");
            }
            broker.close();
            broker = null;
            broker = LocalBroker.start(config.brokerData(), ports.broker());
        }
    }

    /**
     * Stops PostgreSQL (fast shutdown: open connections are closed) and starts it again on the same port with the
     * same data folder (the daemon's answer to a {@link StackDaemon#RESTART_POSTGRES} request); the services' pools
     * reconnect.
     */
    public void restartPostgres() throws IOException {
        synchronized (this) {
            if (closed || postgres == null || config.postgresData() == null) {
                throw new IOException(closed ? "the stack is stopping" : "the database is not persistent");
            }
            postgres.close();
            postgres = null;
            postgres = LocalPostgres.start(config.postgresData(), ports.postgres());
        }
    }

    /** Stops the services (in parallel), then the broker, then PostgreSQL. Safe to call more than once. */
    @Override
    public void close() {
        List<ServiceProcess> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = new ArrayList<>(services.values());
        }
        CompletableFuture.allOf(running.stream()
                .map(s -> CompletableFuture.runAsync(() -> s.stop(STOP_GRACE)))
                .toArray(CompletableFuture[]::new)).join();
        try {
            if (broker != null) {
                broker.close();
            }
        } catch (Exception e) {
            // nothing depends on the broker any more; a failed stop leaves no files behind for an in-memory one
        }
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            // the embedded server also stops with this JVM (its own shutdown hook)
        }
        synchronized (this) {
            if (logging != null) {
                logging.close();
            }
        }
    }

    private void startInfrastructure() throws LauncherException {
        CompletableFuture<LocalPostgres> pg = CompletableFuture.supplyAsync(() -> {
            try {
                return LocalPostgres.start(config.postgresData(), ports.postgres());
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
        CompletableFuture<LocalBroker> amqp = CompletableFuture.supplyAsync(() -> {
            try {
                return LocalBroker.start(config.brokerData(), ports.broker());
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        // keep whichever started, so that close() stops it even when the other failed
        String failure = null;
        try {
            postgres = pg.join();
        } catch (CompletionException e) {
            failure = "PostgreSQL did not start: " + rootMessage(e);
        }
        try {
            broker = amqp.join();
        } catch (CompletionException e) {
            failure = failure == null ? "The AMQP broker did not start: " + rootMessage(e) : failure;
        }
        if (failure != null) {
            throw new LauncherException(failure + ". See " + infraLog()
                    + (config.postgresData() != null ? "; if another drep uses the data folder, stop it first ('drep down')" : ""),
                    LogTail.read(infraLog(), LogTail.DEFAULT_LINES), null);
        }
    }

    private void launch(ServiceKind kind, ServiceProperties.Database database) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(config.java().toString());
        command.addAll(config.jvmOptions());
        ServiceProperties.systemProperties(kind, ports, database, config.variables(),
                        new ServiceProperties.Access(credentials, config.listen()))
                .forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(config.home().jar(kind).toString());
        ServiceSpec spec = new ServiceSpec(kind.module(), command, config.workDirectory(),
                ServiceProperties.addedEnvironment(kind, config.variables(), credentials),
                ServiceProperties.removedEnvironmentPrefixes(),
                config.logs().resolve(kind.module() + ".log"), ServiceSpec.quarkusReadiness(ports.managementOf(kind)));
        synchronized (this) {
            if (closed) {
                throw new IOException("stopped while starting");
            }
            specs.put(kind, spec);
            services.put(kind, ServiceProcess.start(spec));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String seconds(long startNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
