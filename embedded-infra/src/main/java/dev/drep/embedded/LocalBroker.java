package dev.drep.embedded;

import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * A real Apache ActiveMQ Artemis broker speaking AMQP 1.0 on loopback. Security is off (it listens
 * on 127.0.0.1 only); queues are created on first use, failed deliveries are retried a few times and
 * then moved to {@code DLQ} instead of being redelivered forever.
 */
public final class LocalBroker implements AutoCloseable {
    /** Where messages that failed {@link #MAX_DELIVERY_ATTEMPTS} times end up. */
    public static final String DEAD_LETTER_ADDRESS = "DLQ";
    public static final int MAX_DELIVERY_ATTEMPTS = 5;

    private final EmbeddedActiveMQ server;
    private final int port;

    private LocalBroker(EmbeddedActiveMQ server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts the broker.
     *
     * @param dataDir journal folder for a persistent broker, or null for an in-memory one
     * @param port    the AMQP port, or 0 for a free one
     */
    public static LocalBroker start(Path dataDir, int port) throws Exception {
        int actualPort = port > 0 ? port : FreePorts.find();
        Configuration config = new ConfigurationImpl()
                .setName("drep-local")
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setPersistenceEnabled(dataDir != null)
                .addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + actualPort + "?protocols=AMQP");
        if (dataDir != null) {
            config.setBrokerInstance(dataDir.toFile());
            config.setJournalDirectory(dataDir.resolve("journal").toString());
            config.setBindingsDirectory(dataDir.resolve("bindings").toString());
            config.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
            config.setPagingDirectory(dataDir.resolve("paging").toString());
        }
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTER_ADDRESS))
                .setMaxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS)
                .setRedeliveryDelay(500)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setAutoCreateDeadLetterResources(true));
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        server.start();
        return new LocalBroker(server, actualPort);
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
