package dev.drep.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.embedded.LocalBroker;
import io.opentelemetry.api.OpenTelemetry;
import io.smallrye.mutiny.Uni;
import io.vertx.amqp.AmqpSenderOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mutiny.amqp.AmqpClient;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.amqp.AmqpSender;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue intake over TLS, as the chart's {@code amqp.tls} asks, against an embedded Artemis whose only acceptor
 * speaks TLS with a certificate made here by the JDK's keytool.
 */
class QueueIntakeTlsTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static LocalBroker broker;
    private static Path brokerCertificate;
    private static Path otherCertificate;
    private QueueIntake intake;

    @BeforeAll
    static void startBroker() throws Exception {
        Path keyStore = keyPair("broker", "SAN=ip:127.0.0.1,dns:localhost");
        brokerCertificate = exportCertificate(keyStore, "broker");
        otherCertificate = exportCertificate(keyPair("other", "SAN=ip:127.0.0.1"), "other");
        broker = LocalBroker.startWithTls(keyStore, PASSWORD);
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
    void anIntakeTrustingTheBrokersCertificateReceivesOverTls() {
        String queue = "intake.tls." + UUID.randomUUID();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        intake = start(queue, brokerCertificate, handled);
        send(queue, "over tls");

        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> handled.contains("over tls"));
        assertThat(intake.attached()).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> broker.messageCount(queue) == 0);
    }

    @Test
    void aTrustStoreWithoutTheBrokersCertificateIsRefusedAndTheProblemSaysWhatToCheck() throws Exception {
        String queue = "intake.untrusted." + UUID.randomUUID();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        send(queue, "stays queued");
        intake = start(queue, otherCertificate, handled);

        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> intake.problem() != null
                && intake.problem().contains("TLS handshake"));
        assertThat(intake.attached()).isFalse();
        assertThat(intake.problem()).contains(queue, "127.0.0.1:" + broker.port(), "trust store",
                "CA that signed the broker's certificate", "unable to find valid certification path");
        TimeUnit.MILLISECONDS.sleep(500);
        assertThat(handled).isEmpty();
        assertThat(broker.messageCount(queue)).isEqualTo(1);
    }

    @Test
    void aBrokerCertificateForAnotherHostIsRefusedEvenWhenItsSignerIsTrusted() throws Exception {
        // hostname verification is on: a trusted certificate that does not name 127.0.0.1 is refused
        Path elsewhere = keyPair("elsewhere", "SAN=dns:broker.elsewhere.example");
        Path elsewhereCertificate = exportCertificate(elsewhere, "elsewhere");
        try (LocalBroker misnamed = LocalBroker.startWithTls(elsewhere, PASSWORD)) {
            String queue = "intake.misnamed." + UUID.randomUUID();
            intake = new QueueIntake(vertx, QueueIntake.broker("127.0.0.1", misnamed.port(), Optional.empty(),
                    Optional.empty(), Optional.of(new QueueIntake.Tls(Optional.of(new PemTrustOptions()
                            .addCertPath(elsewhereCertificate.toString())), Optional.empty()))),
                    new QueueIntake.Settings(queue, 1, Duration.ofMillis(100)), OpenTelemetry.noop(),
                    body -> Uni.createFrom().voidItem());
            intake.start();

            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> intake.problem() != null
                    && intake.problem().contains("TLS handshake"));
            assertThat(intake.attached()).isFalse();
            assertThat(intake.problem()).contains("names 127.0.0.1");
            intake.stop();
        }
    }

    private QueueIntake start(String queue, Path trusted, Set<String> handled) {
        QueueIntake started = new QueueIntake(vertx, tlsTo(trusted),
                new QueueIntake.Settings(queue, 1, Duration.ofMillis(100)), OpenTelemetry.noop(), body -> {
                    handled.add(body);
                    return Uni.createFrom().voidItem();
                });
        started.start();
        return started;
    }

    private static io.vertx.amqp.AmqpClientOptions tlsTo(Path trusted) {
        return QueueIntake.broker("127.0.0.1", broker.port(), Optional.empty(), Optional.empty(),
                Optional.of(new QueueIntake.Tls(Optional.of(new PemTrustOptions().addCertPath(trusted.toString())),
                        Optional.empty())));
    }

    private static void send(String queue, String body) {
        AmqpClient client = AmqpClient.create(vertx, tlsTo(brokerCertificate));
        try {
            AmqpSender sender = client.connect().chain(c -> c.createSender(queue, new AmqpSenderOptions()
                    .setCapabilities(List.of("queue")))).await().atMost(Duration.ofSeconds(10));
            sender.sendWithAck(AmqpMessage.create().withBody(body).build()).await().atMost(Duration.ofSeconds(10));
        } finally {
            client.closeAndAwait();
        }
    }

    /** A self-signed key pair in a PKCS#12 key store, made with the running JDK's keytool. */
    private static Path keyPair(String alias, String extension) throws IOException, InterruptedException {
        Path keyStore = dir.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + alias, "-ext", extension, "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        return keyStore;
    }

    /** The certificate of {@code alias}, as PEM. */
    private static Path exportCertificate(Path keyStore, String alias) throws IOException, InterruptedException {
        Path pem = dir.resolve(alias + ".pem");
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", pem.toString());
        assertThat(Files.readString(pem, StandardCharsets.US_ASCII)).startsWith("-----BEGIN CERTIFICATE-----");
        return pem;
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("keytool %s: %s", arguments[0], output).isZero();
    }
}
