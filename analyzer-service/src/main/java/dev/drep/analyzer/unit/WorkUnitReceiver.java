package dev.drep.analyzer.unit;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.amqp.AmqpClient;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.amqp.AmqpReceiver;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Takes work units from the analysis queue for {@link WorkUnitConsumer}, {@link UnitIntakeConfig#concurrency()}
 * at once, and holds no more than it works on plus the next one.
 *
 * <p>Why not the messaging connector: its receivers grant the broker a link credit of 1,000 messages each
 * (Vert.x's default; SmallRye's AMQP connector 4.33 cannot change it), so a replica — and each concurrent copy of a
 * channel within it — takes a thousand units off the queue as soon as it attaches. Replicas started later, by the
 * autoscaler because the queue is deep, then find it empty, and at the end of a batch one copy still works
 * through its share while the others are idle. Here one receiver per replica grants a credit of one and asks for
 * the next unit only when a worker is free (the credit is renewed as each unit is handed on), so the queue keeps
 * everything no replica is working on.
 *
 * <p>Each unit runs on its own Vert.x context (so its log lines name its job) under a consumer span that continues
 * the trace in the message's W3C {@code traceparent} application property. It is accepted once processed, and
 * on failure released to the queue as failed (AMQP {@code modified}, delivery-failed): the broker redelivers it,
 * to this or another replica, and moves it to its dead-letter address after its delivery attempts. When the broker
 * connection is lost the receiver connects again with a growing delay; readiness reports it
 * ({@link WorkUnitReceiverCheck}).
 */
@ApplicationScoped
public class WorkUnitReceiver {
    private static final Logger LOG = Logger.getLogger(WorkUnitReceiver.class);
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

    private final Vertx vertx;
    private final WorkUnitConsumer consumer;
    private final UnitIntakeConfig config;
    private final AmqpClientOptions clientOptions;
    private final OpenTelemetry telemetry;
    private final Tracer tracer;
    /** Bumped by every connection attempt and every loss, so that only the current connection reports a loss. */
    private final AtomicLong generation = new AtomicLong();
    private final AtomicInteger inProgress = new AtomicInteger();
    private volatile AmqpClient client;
    private volatile boolean attached;
    private volatile boolean stopped;
    private volatile String problem = "not connected yet";
    private volatile Duration reconnectDelay;

    public WorkUnitReceiver(Vertx vertx, WorkUnitConsumer consumer, UnitIntakeConfig config, OpenTelemetry telemetry,
            Tracer tracer, @ConfigProperty(name = "amqp-host") String host, @ConfigProperty(name = "amqp-port") int port,
            @ConfigProperty(name = "amqp-username") Optional<String> username,
            @ConfigProperty(name = "amqp-password") Optional<String> password) {
        this.vertx = vertx;
        this.consumer = consumer;
        this.config = config;
        this.telemetry = telemetry;
        this.tracer = tracer;
        this.reconnectDelay = config.reconnectDelay();
        AmqpClientOptions options = new AmqpClientOptions().setHost(host).setPort(port);
        username.ifPresent(options::setUsername);
        password.ifPresent(options::setPassword);
        this.clientOptions = options;
    }

    void start(@Observes StartupEvent event) {
        connect();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        attached = false;
        AmqpClient current = client;
        if (current != null) {
            // units still running are not acknowledged: the broker gives them to another replica
            current.closeAndForget();
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

    /** @return units being analysed now */
    public int inProgress() {
        return inProgress.get();
    }

    /** @return the queue units are taken from */
    public String address() {
        return config.address();
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
                .chain(connection -> connection.createReceiver(config.address(), receiverOptions))
                .subscribe().with(receiver -> receive(attempt, receiver),
                        failure -> lost(attempt, "cannot take units from " + config.address() + " at "
                                + clientOptions.getHost() + ":" + clientOptions.getPort() + ": " + failure.getMessage()));
    }

    private void receive(long attempt, AmqpReceiver receiver) {
        if (generation.get() != attempt) {
            receiver.closeAndForget();
            return;
        }
        attached = true;
        reconnectDelay = config.reconnectDelay();
        LOG.infof("taking work units from %s, %d at once", config.address(), config.concurrency());
        receiver.toMulti()
                .onItem().transformToUni(this::process).merge(config.concurrency())
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
            current.closeAndForget();
        }
        Duration delay = reconnectDelay;
        reconnectDelay = delay.multipliedBy(2).compareTo(MAX_RECONNECT_DELAY) > 0 ? MAX_RECONNECT_DELAY
                : delay.multipliedBy(2);
        LOG.warnf("not taking work units (%s); connecting again in %d ms", why, delay.toMillis());
        vertx.setTimer(Math.max(1, delay.toMillis()), id -> connect());
    }

    /** Analyses one unit on a context of its own and settles the message; never fails, so the stream goes on. */
    private Uni<Void> process(AmqpMessage message) {
        String payload;
        try {
            payload = message.bodyAsString();
        } catch (RuntimeException e) {
            LOG.errorf("rejecting a work unit whose body is not text: %s", e.getMessage());
            message.rejected();
            return Uni.createFrom().voidItem();
        }
        Context parent = telemetry.getPropagators().getTextMapPropagator()
                .extract(Context.root(), message.applicationProperties(), APPLICATION_PROPERTIES);
        Span span = tracer.spanBuilder(config.address() + " process").setSpanKind(SpanKind.CONSUMER).setParent(parent)
                .setAttribute("messaging.system", "amqp")
                .setAttribute("messaging.destination.name", config.address())
                .setAttribute("messaging.operation", "process")
                .startSpan();
        io.vertx.core.Context context = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        inProgress.incrementAndGet();
        return Uni.createFrom().emitter(done -> context.runOnContext(ignored -> {
            Scope scope = parent.with(span).makeCurrent();
            Uni<Void> analysis;
            try {
                analysis = consumer.consume(payload);
            } catch (RuntimeException e) {
                analysis = Uni.createFrom().failure(e);
            }
            analysis.subscribe().with(result -> {
                message.accepted();
                settle(span, scope, null);
                done.complete(null);
            }, failure -> {
                LOG.warnf("work unit not processed, released for another attempt: %s", failure.toString());
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
