package dev.drep.embedded;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * A real Apache ActiveMQ Artemis broker speaking AMQP 1.0 on loopback. Security is off (it listens
 * on 127.0.0.1 only); queues are created on first use, failed deliveries are retried with a growing delay
 * ({@link Redelivery}) and then moved to a dead-letter queue instead of being redelivered forever. The two queues
 * where work waits have dead-letter queues of their own, which the services consume
 * ({@link #PLAN_REQUESTS_DEAD}, {@link #ANALYSIS_REQUESTS_DEAD}); every other address's dead letters go to
 * {@code DLQ.<address>} on {@link #DEAD_LETTER_ADDRESS}. The chart's evaluation broker is configured the same way
 * (k8s/helm/drep/templates/artemis.yaml).
 */
public final class LocalBroker implements AutoCloseable {
    /** Where messages of other addresses that failed every delivery attempt end up (as {@code DLQ.<address>}). */
    public static final String DEAD_LETTER_ADDRESS = "DLQ";
    /** The dead-letter queue of {@code drep.scanner.plan-requests}, consumed by the scanner. */
    public static final String PLAN_REQUESTS_DEAD = "drep.scanner.plan-requests.dead";
    /** The dead-letter queue of {@code drep.analysis.requests}, consumed by the analyzer. */
    public static final String ANALYSIS_REQUESTS_DEAD = "drep.analysis.requests.dead";

    /**
     * How failed deliveries are retried: after {@code firstDelay}, then each delay {@code multiplier} times the
     * last, up to {@code maxDelay}; after {@code maxAttempts} deliveries the message is dead-lettered.
     */
    public record Redelivery(Duration firstDelay, double multiplier, Duration maxDelay, int maxAttempts) {
        /** The local stack's, as the chart's: 1 s doubling to 60 s, 8 attempts (about two minutes of outage ridden over). */
        public static final Redelivery STANDARD = new Redelivery(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 8);
        /** Tests': 100 ms doubling to 1 s, 5 attempts (dead-lettered within two seconds). */
        public static final Redelivery QUICK = new Redelivery(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 5);
    }

    private final EmbeddedActiveMQ server;
    private final int port;

    private LocalBroker(EmbeddedActiveMQ server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts the broker with the {@link Redelivery#STANDARD} redelivery.
     *
     * @param dataDir journal folder for a persistent broker, or null for an in-memory one
     * @param port    the AMQP port, or 0 for a free one
     */
    public static LocalBroker start(Path dataDir, int port) throws Exception {
        return start(dataDir, port, Redelivery.STANDARD);
    }

    /**
     * Starts the broker.
     *
     * @param dataDir    journal folder for a persistent broker, or null for an in-memory one
     * @param port       the AMQP port, or 0 for a free one
     * @param redelivery how failed deliveries are retried
     */
    public static LocalBroker start(Path dataDir, int port, Redelivery redelivery) throws Exception {
        return start(dataDir, port, redelivery, "");
    }

    /**
     * Starts an in-memory broker whose only AMQP acceptor speaks TLS, for tests of clients that must use it.
     *
     * @param keyStore         a PKCS#12 key store with the broker's key and certificate
     * @param keyStorePassword its password
     */
    public static LocalBroker startWithTls(Path keyStore, String keyStorePassword) throws Exception {
        return start(null, 0, Redelivery.STANDARD, ";sslEnabled=true;keyStoreType=PKCS12;keyStorePath=" + keyStore.toAbsolutePath()
                + ";keyStorePassword=" + keyStorePassword);
    }

    private static LocalBroker start(Path dataDir, int port, Redelivery redelivery, String acceptorOptions) throws Exception {
        int actualPort = port > 0 ? port : FreePorts.find();
        Configuration config = new ConfigurationImpl()
                .setName("drep-local")
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setPersistenceEnabled(dataDir != null)
                .addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + actualPort + "?protocols=AMQP" + acceptorOptions);
        if (dataDir != null) {
            config.setBrokerInstance(dataDir.toFile());
            config.setJournalDirectory(dataDir.resolve("journal").toString());
            config.setBindingsDirectory(dataDir.resolve("bindings").toString());
            config.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
            config.setPagingDirectory(dataDir.resolve("paging").toString());
        }
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTER_ADDRESS))
                .setMaxDeliveryAttempts(redelivery.maxAttempts())
                .setRedeliveryDelay(redelivery.firstDelay().toMillis())
                .setRedeliveryMultiplier(redelivery.multiplier())
                .setMaxRedeliveryDelay(redelivery.maxDelay().toMillis())
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                // every drep address is a queue that replicas share (anycast), whoever creates it: after a restart
                // the first client to attach creates it again, and a sender that names no routing (SmallRye's AMQP
                // connector reattaching) would otherwise make it multicast, refusing every consumer from then on
                .setDefaultAddressRoutingType(RoutingType.ANYCAST)
                .setDefaultQueueRoutingType(RoutingType.ANYCAST)
                .setAutoCreateDeadLetterResources(true));
        // the work queues' dead letters go to plain queues of their own, created up front so that none is dropped
        deadLetterQueue(config, "drep.scanner.plan-requests", PLAN_REQUESTS_DEAD);
        deadLetterQueue(config, "drep.analysis.requests", ANALYSIS_REQUESTS_DEAD);
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        server.start();
        return new LocalBroker(server, actualPort);
    }

    private static void deadLetterQueue(Configuration config, String address, String deadLetters) {
        config.addAddressSetting(address, new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(deadLetters))
                .setAutoCreateDeadLetterResources(false));
        config.addQueueConfiguration(QueueConfiguration.of(deadLetters).setAddress(deadLetters)
                .setRoutingType(RoutingType.ANYCAST).setDurable(true));
    }

    /** @return the AMQP port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return how many messages wait on a queue (0 when the queue does not exist) */
    public long messageCount(String queue) {
        var q = server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
