package dev.drep.intake;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.mutiny.amqp.AmqpClient;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.amqp.AmqpReceiver;
import io.vertx.mutiny.core.Vertx;
import io.vertx.proton.ProtonHelper;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.jboss.logging.Logger;

/**
 * Takes messages from an AMQP 1.0 queue that several replicas share, {@link Settings#concurrency()} at once, and
 * holds no more than it works on plus the next one.
 *
 * <p>Why not a messaging channel: SmallRye's AMQP connector (4.33, the version that resolves here) gives each
 * receiver Vert.x's default link credit of 1,000 messages, so a replica — and each concurrent copy of a channel
 * within it — takes a thousand messages off the queue as soon as it attaches. Replicas started later, by an
 * autoscaler because the queue is deep, then find it empty, and at the end of a burst one copy still works
 * through its share while the others are idle. Here one receiver grants a credit of one and asks for the next
 * message only when a worker is free (Vert.x renews the credit as each message is handed on), so the queue keeps
 * everything nobody is working on.
 *
 * <p>Each message's body (text) goes to the handler on a Vert.x context of its own (duplicated: log context and
 * Hibernate Reactive sessions stay per message) under a consumer span that continues the trace in the message's
 * W3C {@code traceparent} application property. The message is accepted when the handler's {@link Uni}
 * completes, and released as failed (AMQP {@code modified}, delivery-failed) when it fails: the broker delivers
 * it again, here or elsewhere, and moves it to its dead-letter address after its delivery attempts. A body that
 * is not text is rejected. {@link #stop(Duration)} is the graceful stop for a replica's shutdown: no new message,
 * the ones in hand finish within a grace period or go back to the queue as {@code released} (their delivery
 * count does not grow), so another replica takes them at once. When the connection is lost the intake connects again with a delay that doubles up to
 * 30 s; {@link #attached()} and {@link #problem()} are for a readiness check.
 */
public final class QueueIntake {
    private static final Logger LOG = Logger.getLogger(QueueIntake.class);
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(30);
    private static final TextMapGetter<JsonObject> APPLICATION_PROPERTIES = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(JsonObject carrier) {
            return carrier == null ? List.of() : carrier.fieldNames();
        }

        @Override
        public String get(JsonObject carrier, String key) {
            Object value = carrier == null ? null : carrier.getValue(key);
            return value == null ? null : value.toString();
        }
    };

    /**
     * @param address        the queue
     * @param concurrency    messages handled at once
     * @param reconnectDelay the first wait before connecting again after the connection is lost
     */
    public record Settings(String address, int concurrency, Duration reconnectDelay) {
        public Settings {
            Objects.requireNonNull(address, "address");
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
            }
            if (reconnectDelay == null || reconnectDelay.isNegative() || reconnectDelay.isZero()) {
                throw new IllegalArgumentException("the reconnect delay must be positive");
            }
        }
    }

    private final Vertx vertx;
    private final AmqpClientOptions clientOptions;
    private final Settings settings;
    private final OpenTelemetry telemetry;
    private final Tracer tracer;
    private final Function<String, Uni<Void>> handler;
    /** Bumped by every connection attempt and every loss, so that only the current connection reports a loss. */
    private final AtomicLong generation = new AtomicLong();
    private final AtomicInteger inProgress = new AtomicInteger();
    private volatile AmqpClient client;
    private volatile boolean attached;
    private volatile boolean stopped;
    /** Set when a stop begins: no message is taken any more. */
    private volatile boolean draining;
    private volatile AmqpReceiver receiver;
    private volatile io.vertx.core.Context receiverContext;
    /** The messages being handled; notified as each is settled. */
    private final Set<Held> held = new HashSet<>();
    private volatile String problem = "not connected yet";
    private volatile Duration reconnectDelay;

    /**
     * @param vertx         the application's Vert.x
     * @param clientOptions the broker (host, port, credentials)
     * @param settings      the queue and how many messages at once
     * @param telemetry     for the trace context propagator and the tracer; {@link OpenTelemetry#noop()} for none
     * @param handler       handles one message body; its failure releases the message for another delivery
     */
    public QueueIntake(Vertx vertx, AmqpClientOptions clientOptions, Settings settings, OpenTelemetry telemetry,
            Function<String, Uni<Void>> handler) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.clientOptions = new AmqpClientOptions(clientOptions);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.tracer = telemetry.getTracer("dev.drep.intake");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.reconnectDelay = settings.reconnectDelay();
    }

    /**
     * @return client options for a broker: host, port and, when present and not blank, credentials
     */
    public static AmqpClientOptions broker(String host, int port, Optional<String> username, Optional<String> password) {
        AmqpClientOptions options = new AmqpClientOptions().setHost(host).setPort(port);
        username.filter(u -> !u.isBlank()).ifPresent(options::setUsername);
        password.filter(p -> !p.isBlank()).ifPresent(options::setPassword);
        return options;
    }

    /**
     * @return client options for a broker as {@link #broker(String, int, Optional, Optional)}, over TLS when
     *         {@code tls} is present: the broker's certificate is checked against the trust store (the JVM's when
     *         none is given) and must name {@code host} (hostname verification is always on)
     */
    public static AmqpClientOptions broker(String host, int port, Optional<String> username, Optional<String> password,
            Optional<Tls> tls) {
        AmqpClientOptions options = broker(host, port, username, password);
        tls.ifPresent(t -> {
            options.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
            t.trust().ifPresent(options::setTrustOptions);
            t.keyCertificate().ifPresent(options::setKeyCertOptions);
        });
        return options;
    }

    /**
     * TLS to the broker, as the messaging channels have it (the same settings: {@code amqp-use-ssl} and the named
     * Quarkus TLS configuration of the connector).
     *
     * @param trust          the certificates trusted to sign the broker's; empty: the JVM's default trust store
     * @param keyCertificate a client certificate and key, for brokers that ask for one
     */
    public record Tls(Optional<TrustOptions> trust, Optional<KeyCertOptions> keyCertificate) {
        public Tls {
            Objects.requireNonNull(trust, "trust");
            Objects.requireNonNull(keyCertificate, "keyCertificate");
        }

        /**
         * @param useSsl         the connector's {@code amqp-use-ssl}: TLS or not
         * @param trust          from the connector's named TLS configuration, if any
         * @param keyCertificate from the same configuration, if it has a key store
         * @return TLS as the services' messaging channels use it, or empty for plain AMQP
         */
        public static Optional<Tls> of(boolean useSsl, Optional<TrustOptions> trust, Optional<KeyCertOptions> keyCertificate) {
            return useSsl ? Optional.of(new Tls(trust, keyCertificate)) : Optional.empty();
        }
    }

    /** Connects and starts taking messages; returns at once. */
    public void start() {
        stopped = false;
        draining = false;
        connect();
    }

    /** Stops taking messages at once; those being handled are not acknowledged, so the broker delivers them again. */
    public void stop() {
        stopped = true;
        draining = true;
        attached = false;
        problem = "stopped";
        AmqpClient current = client;
        if (current != null) {
            close(current);
        }
    }

    /**
     * Stops gracefully, for a replica that is shutting down: takes no new message (no more link credit; one that
     * arrives on the credit already granted is released at once), lets the messages being handled finish for up
     * to {@code grace}, acknowledging each that does, and then releases the others (AMQP {@code released}: not
     * counted as a failed delivery) so that another replica takes them at once, and disconnects. Blocks the
     * calling thread (not an event-loop thread) until done.
     *
     * @param grace how long the messages being handled may take to finish
     */
    public void stop(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        draining = true;
        attached = false;
        problem = "shutting down";
        AmqpReceiver current = receiver;
        io.vertx.core.Context context = receiverContext;
        if (current != null && context != null) {
            context.runOnContext(ignored -> {
                // bypass the receiver's own handler, which grants a credit for every message it passes on: what
                // arrives on the credit still granted goes straight back
                current.getDelegate().unwrap().handler((delivery, message) -> ProtonHelper.released(delivery, true));
                current.fetch(1); // the next message, if the receiver holds one already, goes back too
            });
        }
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (held) {
            while (!held.isEmpty() && System.nanoTime() < deadline) {
                try {
                    held.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<Held> unfinished;
        synchronized (held) {
            unfinished = List.copyOf(held);
            held.clear();
        }
        for (Held message : unfinished) {
            message.release();
        }
        if (!unfinished.isEmpty()) {
            LOG.infof("released %d messages on %s not finished within %s of the shutdown; another replica takes them",
                    unfinished.size(), settings.address(), grace);
        }
        // the dispositions go out on the connection's context before it closes
        AmqpClient last = client;
        stopped = true;
        problem = "stopped";
        if (last != null) {
            try {
                last.close().await().atMost(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                // a connection already lost: the broker has put back whatever it held
                LOG.debugf("closing the broker connection at shutdown: %s", e.getMessage());
            }
        }
    }

    /** @return whether the receiver is attached to the queue */
    public boolean attached() {
        return attached;
    }

    /** @return why the receiver is not attached, or null when it is */
    public String problem() {
        return attached ? null : problem;
    }

    /** @return messages being handled now */
    public int inProgress() {
        return inProgress.get();
    }

    /** @return the queue */
    public String address() {
        return settings.address();
    }

    /**
     * @param name the check's name, e.g. {@code Analysis queue receiver}
     * @return a readiness answer: UP while attached; its data names the queue, the messages in progress and,
     *         when not attached, the problem
     */
    public HealthCheckResponse readiness(String name) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(name).status(attached)
                .withData("address", settings.address())
                .withData("inProgress", inProgress.get());
        String why = problem();
        return why == null ? response.build() : response.withData("problem", why).build();
    }

    private void connect() {
        if (stopped || draining) {
            return;
        }
        long attempt = generation.incrementAndGet();
        AmqpClient next = AmqpClient.create(vertx, new AmqpClientOptions(clientOptions));
        client = next;
        AmqpReceiverOptions receiverOptions = new AmqpReceiverOptions().setCapabilities(List.of("queue"))
                .setAutoAcknowledgement(false).setMaxBufferedMessages(1);
        next.connect()
                .invoke(connection -> connection.exceptionHandler(failure -> lost(attempt, "connection failed: "
                        + failure.getMessage())))
                .chain(connection -> connection.createReceiver(settings.address(), receiverOptions))
                .subscribe().with(receiver -> receive(attempt, receiver),
                        failure -> lost(attempt, "cannot take messages from " + settings.address() + " at "
                                + clientOptions.getHost() + ":" + clientOptions.getPort() + ": " + describe(failure)));
    }

    /** A failed TLS handshake says so, and what to check, rather than only the JDK's words. */
    private String describe(Throwable failure) {
        Throwable tls = null;
        String innermost = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                tls = t;
            }
            if (tls != null && t.getMessage() != null) {
                innermost = t.getMessage(); // the JDK's reason (e.g. "PKIX path building failed: ...") is the deepest
            }
        }
        if (tls == null) {
            return failure.getMessage();
        }
        return "the TLS handshake with the broker failed (" + innermost + "); check that the trust store ("
                + (clientOptions.getTrustOptions() == null ? "the JVM's default" : "the configured one")
                + ") holds the CA that signed the broker's certificate and that the certificate names "
                + clientOptions.getHost();
    }

    private void receive(long attempt, AmqpReceiver receiver) {
        if (stopped || draining || generation.get() != attempt) {
            receiver.close().subscribe().with(ignored -> {
            }, failure -> LOG.debugf("closing a receiver no longer needed: %s", failure.getMessage()));
            return;
        }
        this.receiver = receiver;
        this.receiverContext = io.vertx.core.Vertx.currentContext();
        attached = true;
        reconnectDelay = settings.reconnectDelay();
        LOG.infof("taking messages from %s, %d at once", settings.address(), settings.concurrency());
        // the receiver grants one credit when the handler is set and one more for each message it passes on,
        // which it passes on only as far as fetched: one per free worker
        receiver.pause();
        receiver.exceptionHandler(failure -> lost(attempt, "receiving failed: " + failure.getMessage()));
        receiver.endHandler(() -> lost(attempt, "the broker closed the link"));
        receiver.handler(message -> process(receiver, message));
        receiver.fetch(settings.concurrency());
    }

    private void lost(long attempt, String why) {
        if (stopped || draining || !generation.compareAndSet(attempt, attempt + 1)) {
            return; // a connection that was replaced already, or shutting down
        }
        attached = false;
        problem = why;
        AmqpClient current = client;
        if (current != null) {
            close(current);
        }
        Duration delay = reconnectDelay;
        Duration doubled = delay.multipliedBy(2);
        reconnectDelay = doubled.compareTo(MAX_RECONNECT_DELAY) > 0 ? MAX_RECONNECT_DELAY : doubled;
        LOG.warnf("not taking messages from %s (%s); connecting again in %d ms", settings.address(), why,
                delay.toMillis());
        vertx.setTimer(Math.max(1, delay.toMillis()), id -> connect());
    }

    /** Closes a client; one whose connection is gone already fails to close, which is of no interest. */
    private static void close(AmqpClient client) {
        client.close().subscribe().with(ignored -> {
        }, failure -> LOG.debugf("closing the broker connection: %s", failure.getMessage()));
    }

    /** Handles one message on a context of its own, settles it and asks for the next one. */
    private void process(AmqpReceiver from, AmqpMessage message) {
        if (draining) {
            message.released(); // taken on credit granted before the shutdown began: another replica's now
            return;
        }
        String body;
        try {
            body = message.bodyAsString();
        } catch (RuntimeException e) {
            LOG.errorf("rejecting a message on %s whose body is not text: %s", settings.address(), e.getMessage());
            message.rejected();
            from.fetch(1);
            return;
        }
        Context parent = telemetry.getPropagators().getTextMapPropagator()
                .extract(Context.root(), message.applicationProperties(), APPLICATION_PROPERTIES);
        Span span = tracer.spanBuilder(settings.address() + " process").setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute("messaging.system", "amqp")
                .setAttribute("messaging.destination.name", settings.address())
                .setAttribute("messaging.operation", "process")
                .startSpan();
        io.vertx.core.Context context = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        Held holding = new Held(message);
        synchronized (held) {
            held.add(holding);
        }
        inProgress.incrementAndGet();
        context.runOnContext(ignored -> {
            Scope scope = parent.with(span).makeCurrent();
            Uni<Void> handling;
            try {
                handling = handler.apply(body);
            } catch (RuntimeException e) {
                handling = Uni.createFrom().failure(e);
            }
            handling.subscribe().with(result -> {
                holding.settle(AmqpMessage::accepted);
                settle(from, holding, span, scope, null);
            }, failure -> {
                LOG.warnf("a message on %s was not handled and goes back to the queue: %s", settings.address(),
                        failure.toString());
                holding.settle(m -> m.modified(true, false));
                settle(from, holding, span, scope, failure);
            });
        });
    }

    /** A message being handled, settled once: by its handler or, at a shutdown, released. */
    private static final class Held {
        private final AmqpMessage message;
        private final AtomicBoolean settled = new AtomicBoolean();

        Held(AmqpMessage message) {
            this.message = message;
        }

        void settle(Consumer<AmqpMessage> outcome) {
            if (settled.compareAndSet(false, true)) {
                outcome.accept(message);
            }
        }

        void release() {
            settle(AmqpMessage::released);
        }
    }

    private void settle(AmqpReceiver from, Held holding, Span span, Scope scope, Throwable failure) {
        synchronized (held) {
            held.remove(holding);
            held.notifyAll();
        }
        if (!draining) {
            from.fetch(1);
        }
        settle(span, scope, failure);
    }

    private void settle(Span span, Scope scope, Throwable failure) {
        inProgress.decrementAndGet();
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
        scope.close();
    }
}
