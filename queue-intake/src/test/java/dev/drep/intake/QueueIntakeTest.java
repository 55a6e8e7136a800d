package dev.drep.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.embedded.FreePorts;
import dev.drep.embedded.LocalBroker;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.smallrye.mutiny.Uni;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.amqp.AmqpSenderOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.amqp.AmqpClient;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.amqp.AmqpSender;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The queue intake against a real (embedded) Artemis broker. */
class QueueIntakeTest {
    private static LocalBroker broker;
    private static Vertx vertx;
    private QueueIntake intake;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = LocalBroker.start(null, 0);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        vertx.closeAndAwait();
        broker.close();
    }

    @AfterEach
    void stopIntake() {
        if (intake != null) {
            intake.stop();
        }
    }

    @Test
    void aReplicaHoldsOnlyWhatItWorksOnSoAnotherOneGetsTheBacklog() throws Exception {
        String queue = "intake.sharing." + UUID.randomUUID();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        intake = start(queue, 4, body -> {
            running.incrementAndGet();
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(1500))
                    .invoke(() -> handled.add(body));
        });
        send(queue, 20, Map.of());
        await(() -> running.get() == 4, Duration.ofSeconds(10));

        Set<String> takenElsewhere = ConcurrentHashMap.newKeySet();
        AmqpClient other = AmqpClient.create(vertx, QueueIntake.broker("127.0.0.1", broker.port(), Optional.empty(),
                Optional.empty()));
        try {
            other.connect().chain(c -> c.createReceiver(queue, new AmqpReceiverOptions().setCapabilities(List.of("queue"))))
                    .await().atMost(Duration.ofSeconds(10))
                    .handler(message -> {
                        takenElsewhere.add(message.bodyAsString());
                        message.accepted();
                    });
            // everything beyond the 4 being worked on (and the one the intake may hold next) is still queued
            await(() -> takenElsewhere.size() >= 20 - 4 - 1, Duration.ofSeconds(10));
        } finally {
            other.closeAndAwait();
        }
        await(() -> handled.size() + takenElsewhere.size() == 20, Duration.ofSeconds(15));
        assertThat(handled).doesNotContainAnyElementsOf(takenElsewhere);
        assertThat(intake.inProgress()).isZero();
    }

    @Test
    void aFailedMessageIsDeliveredAgainAndTheTraceContinues() throws Exception {
        String queue = "intake.retry." + UUID.randomUUID();
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        Set<String> traces = ConcurrentHashMap.newKeySet();
        intake = start(queue, 2, body -> {
            traces.add(Span.current().getSpanContext().getTraceId());
            if (attempts.computeIfAbsent(body, b -> new AtomicInteger()).incrementAndGet() == 1) {
                return Uni.createFrom().failure(new IllegalStateException("the first attempt fails"));
            }
            return Uni.createFrom().voidItem();
        });
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        send(queue, 1, Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));

        await(() -> attempts.values().stream().anyMatch(a -> a.get() == 2), Duration.ofSeconds(15));
        await(() -> broker.messageCount(queue) == 0, Duration.ofSeconds(10));
        assertThat(traces).containsExactly(traceId);
    }

    @Test
    void withoutABrokerItSaysWhyAndAttachesOnceOneListens() throws Exception {
        int port = FreePorts.find();
        String queue = "intake.later." + UUID.randomUUID();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        intake = new QueueIntake(vertx, QueueIntake.broker("127.0.0.1", port, Optional.empty(), Optional.empty()),
                new QueueIntake.Settings(queue, 1, Duration.ofMillis(100)), OpenTelemetry.noop(), body -> {
                    handled.add(body);
                    return Uni.createFrom().voidItem();
                });
        intake.start();
        await(() -> intake.problem() != null && intake.problem().contains("127.0.0.1:" + port), Duration.ofSeconds(10));
        assertThat(intake.attached()).isFalse();
        assertThat(intake.problem()).contains(queue);

        try (LocalBroker later = LocalBroker.start(null, port)) {
            await(intake::attached, Duration.ofSeconds(20));
            assertThat(intake.problem()).isNull();
            AmqpClient client = AmqpClient.create(vertx, new AmqpClientOptions().setHost("127.0.0.1").setPort(port));
            try {
                AmqpSender sender = client.connect().chain(c -> c.createSender(queue, new AmqpSenderOptions()
                        .setCapabilities(List.of("queue")))).await().atMost(Duration.ofSeconds(10));
                sender.sendWithAck(AmqpMessage.create().withBody("after").build()).await().atMost(Duration.ofSeconds(10));
            } finally {
                client.closeAndAwait();
            }
            await(() -> handled.contains("after"), Duration.ofSeconds(10));
            intake.stop();
        }
    }

    @Test
    void atAShutdownAMessageNotFinishedWithinTheGraceGoesToAnotherReplicaAtOnceWithoutCountingAsFailed()
            throws Exception {
        String queue = "intake.shutdown.release." + UUID.randomUUID();
        AtomicInteger started = new AtomicInteger();
        intake = start(queue, 1, body -> {
            started.incrementAndGet();
            return Uni.createFrom().nothing(); // still working when the grace ends
        });
        send(queue, 1, Map.of());
        await(() -> started.get() == 1, Duration.ofSeconds(10));

        long stopping = System.nanoTime();
        intake.stop(Duration.ofMillis(500));
        Duration stopTook = Duration.ofNanos(System.nanoTime() - stopping);

        List<AmqpMessage> elsewhere = new CopyOnWriteArrayList<>();
        AmqpClient other = consume(queue, elsewhere);
        try {
            await(() -> elsewhere.size() == 1, Duration.ofSeconds(3));
            assertThat(elsewhere.get(0).bodyAsString()).isEqualTo("message 0");
            assertThat(elsewhere.get(0).deliveryCount()).as("a release is not a failed delivery").isZero();
        } finally {
            other.closeAndAwait();
        }
        assertThat(stopTook).isLessThan(Duration.ofSeconds(5));
        assertThat(started).hasValue(1);
    }

    @Test
    void atAShutdownAMessageFinishingWithinTheGraceIsAcknowledgedOnceAndNoNewOneIsTaken() throws Exception {
        String queue = "intake.shutdown.finish." + UUID.randomUUID();
        List<String> handled = new CopyOnWriteArrayList<>();
        AtomicInteger started = new AtomicInteger();
        intake = start(queue, 1, body -> {
            started.incrementAndGet();
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(1500))
                    .invoke(() -> handled.add(body));
        });
        send(queue, 1, Map.of());
        await(() -> started.get() == 1, Duration.ofSeconds(10));

        Thread stopping = new Thread(() -> intake.stop(Duration.ofSeconds(20)));
        stopping.start();
        await(() -> !intake.attached(), Duration.ofSeconds(5));
        sendBodies(queue, "after 1", "after 2");
        stopping.join(Duration.ofSeconds(15).toMillis());
        assertThat(stopping.isAlive()).as("the stop returns once the message in hand is done").isFalse();

        assertThat(handled).containsExactly("message 0");
        assertThat(started).as("no message taken after the stop began").hasValue(1);
        List<AmqpMessage> elsewhere = new CopyOnWriteArrayList<>();
        AmqpClient other = consume(queue, elsewhere);
        try {
            await(() -> elsewhere.size() == 2, Duration.ofSeconds(5));
            Thread.sleep(500); // the finished one must not come again
            assertThat(elsewhere).extracting(AmqpMessage::bodyAsString).containsExactlyInAnyOrder("after 1", "after 2");
            assertThat(elsewhere).extracting(AmqpMessage::deliveryCount).containsOnly(0);
        } finally {
            other.closeAndAwait();
        }
        assertThat(broker.messageCount(queue)).isZero();
    }

    /** A second replica: takes everything on {@code queue} into {@code into} and accepts it. */
    private static AmqpClient consume(String queue, List<AmqpMessage> into) {
        AmqpClient client = AmqpClient.create(vertx, QueueIntake.broker("127.0.0.1", broker.port(), Optional.empty(),
                Optional.empty()));
        client.connect().chain(c -> c.createReceiver(queue, new AmqpReceiverOptions().setCapabilities(List.of("queue"))))
                .await().atMost(Duration.ofSeconds(10))
                .handler(message -> {
                    into.add(message);
                    message.accepted();
                });
        return client;
    }

    private static void sendBodies(String queue, String... bodies) {
        AmqpClient client = AmqpClient.create(vertx, QueueIntake.broker("127.0.0.1", broker.port(), Optional.empty(),
                Optional.empty()));
        try {
            AmqpSender sender = client.connect().chain(c -> c.createSender(queue, new AmqpSenderOptions()
                    .setCapabilities(List.of("queue")))).await().atMost(Duration.ofSeconds(10));
            for (String body : bodies) {
                sender.sendWithAck(AmqpMessage.create().withBody(body).build()).await().atMost(Duration.ofSeconds(10));
            }
        } finally {
            client.closeAndAwait();
        }
    }

    /**
     * After a broker restart the queues it had auto-created are gone, and whichever client attaches first creates the
     * address again. A sender that does not say "queue" (SmallRye's AMQP connector reattaching) used to create it
     * for multicast: the message went nowhere and every consumer was refused ("not configured for queue support")
     * until someone restarted the stack, and the scanner never heard that its jobs had ended.
     */
    @Test
    void anAddressFirstCreatedByASenderThatNamesNoRoutingIsStillAQueueTheIntakeTakesFrom() throws Exception {
        String queue = "intake.first-sender." + UUID.randomUUID();
        AmqpClient client = AmqpClient.create(vertx, QueueIntake.broker("127.0.0.1", broker.port(), Optional.empty(),
                Optional.empty()));
        try {
            AmqpSender sender = client.connect().chain(c -> c.createSender(queue)).await().atMost(Duration.ofSeconds(10));
            sender.sendWithAck(AmqpMessage.create().withBody("sent before anyone listened").build())
                    .await().atMost(Duration.ofSeconds(10));
        } finally {
            client.closeAndAwait();
        }
        Set<String> handled = ConcurrentHashMap.newKeySet();
        intake = start(queue, 1, body -> {
            handled.add(body);
            return Uni.createFrom().voidItem();
        });
        await(() -> handled.contains("sent before anyone listened"), Duration.ofSeconds(10));
    }

    private QueueIntake start(String queue, int concurrency, Function<String, Uni<Void>> handler) {
        QueueIntake started = new QueueIntake(vertx, QueueIntake.broker("127.0.0.1", broker.port(), Optional.empty(),
                Optional.empty()), new QueueIntake.Settings(queue, concurrency, Duration.ofMillis(100)),
                OpenTelemetry.propagating(ContextPropagators.create(W3CTraceContextPropagator.getInstance())), handler);
        started.start();
        return started;
    }

    private static void send(String queue, int count, Map<String, Object> properties) {
        AmqpClient client = AmqpClient.create(vertx, QueueIntake.broker("127.0.0.1", broker.port(), Optional.empty(),
                Optional.empty()));
        try {
            // as the services send: to a queue (anycast), which replicas share
            AmqpSender sender = client.connect().chain(c -> c.createSender(queue, new AmqpSenderOptions()
                    .setCapabilities(List.of("queue")))).await().atMost(Duration.ofSeconds(10));
            for (int i = 0; i < count; i++) {
                sender.sendWithAck(AmqpMessage.create().withBody("message " + i)
                        .applicationProperties(new JsonObject(properties)).build()).await().atMost(Duration.ofSeconds(10));
            }
        } finally {
            client.closeAndAwait();
        }
    }

    private static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + within);
            }
            Thread.sleep(20);
        }
    }
}
