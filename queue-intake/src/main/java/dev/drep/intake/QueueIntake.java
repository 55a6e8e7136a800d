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
import io.vertx.mutiny.amqp.AmqpClient;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.amqp.AmqpReceiver;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * is not text is rejected. When the connection is lost the intake connects again with a delay that doubles up to
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

    /** Connects and starts taking messages; returns at once. */
    public void start() {
        stopped = false;
        connect();
    }

    /** Stops taking messages; those being handled are not acknowledged, so the broker delivers them again. */
    public void stop() {
        stopped = true;
        attached = false;
        problem = "stopped";
        AmqpClient current = client;
        if (current != null) {
            close(current);
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
        if (stopped) {
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
                                + clientOptions.getHost() + ":" + clientOptions.getPort() + ": " + failure.getMessage()));
    }

    private void receive(long attempt, AmqpReceiver receiver) {
        if (stopped || generation.get() != attempt) {
            receiver.close().subscribe().with(ignored -> {
            }, failure -> LOG.debugf("closing a receiver no longer needed: %s", failure.getMessage()));
            return;
        }
        attached = true;
        reconnectDelay = settings.reconnectDelay();
        LOG.infof("taking messages from %s, %d at once", settings.address(), settings.concurrency());
        receiver.toMulti()
                .onItem().transformToUni(this::process).merge(settings.concurrency())
                .subscribe().with(ignored -> {
                }, failure -> lost(attempt, "receiving failed: " + failure.getMessage()),
                        () -> lost(attempt, "the broker closed the link"));
    }

    private void lost(long attempt, String why) {
        if (stopped || !generation.compareAndSet(attempt, attempt + 1)) {
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

    /** Handles one message on a context of its own and settles it; never fails, so the stream goes on. */
    private Uni<Void> process(AmqpMessage message) {
        String body;
        try {
            body = message.bodyAsString();
        } catch (RuntimeException e) {
            LOG.errorf("rejecting a message on %s whose body is not text: %s", settings.address(), e.getMessage());
            message.rejected();
            return Uni.createFrom().voidItem();
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
        inProgress.incrementAndGet();
        return Uni.createFrom().emitter(done -> context.runOnContext(ignored -> {
            Scope scope = parent.with(span).makeCurrent();
            Uni<Void> handling;
            try {
                handling = handler.apply(body);
            } catch (RuntimeException e) {
                handling = Uni.createFrom().failure(e);
            }
            handling.subscribe().with(result -> {
                message.accepted();
                settle(span, scope, null);
                done.complete(null);
            }, failure -> {
                LOG.warnf("a message on %s was not handled and goes back to the queue: %s", settings.address(),
                        failure.toString());
                message.modified(true, false);
                settle(span, scope, failure);
                done.complete(null);
            });
        }));
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
