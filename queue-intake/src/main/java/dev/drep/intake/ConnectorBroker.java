package dev.drep.intake;

import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.amqp.AmqpClientOptions;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The broker a service's queue intakes connect to, read from the settings its messaging channels use, so that an
 * intake and the channels of one service always reach the same broker the same way: {@code amqp-host},
 * {@code amqp-port}, {@code amqp-username}, {@code amqp-password}, {@code amqp-use-ssl} and the connector's named
 * Quarkus TLS configuration (trust store, optional client certificate; the chart's {@code amqp.tls}). The broker's
 * host name is always verified over TLS ({@link QueueIntake#broker(String, int, Optional, Optional, Optional)}).
 */
public final class ConnectorBroker {
    /** The messaging connector's TLS configuration, which the intakes share. */
    public static final String TLS_CONFIGURATION_NAME = "mp.messaging.connector.smallrye-amqp.tls-configuration-name";

    private ConnectorBroker() {
    }

    /**
     * @param config     the service's configuration
     * @param tlsConfigs the service's named TLS configurations
     * @return client options for the connector's broker
     * @throws IllegalStateException when the connector names a TLS configuration that is not configured
     */
    public static AmqpClientOptions options(Config config, TlsConfigurationRegistry tlsConfigs) {
        Optional<TlsConfiguration> tls = config.getOptionalValue(TLS_CONFIGURATION_NAME, String.class)
                .map(name -> tlsConfigs.get(name).orElseThrow(() -> new IllegalStateException(TLS_CONFIGURATION_NAME
                        + " names the TLS configuration '" + name + "', which is not configured: set quarkus.tls.\""
                        + name + "\".trust-store.* or remove the name")));
        boolean useSsl = config.getOptionalValue("amqp-use-ssl", Boolean.class).orElse(false);
        return QueueIntake.broker(config.getValue("amqp-host", String.class),
                config.getValue("amqp-port", Integer.class),
                config.getOptionalValue("amqp-username", String.class),
                config.getOptionalValue("amqp-password", String.class),
                QueueIntake.Tls.of(useSsl, tls.map(TlsConfiguration::getTrustStoreOptions),
                        tls.map(TlsConfiguration::getKeyStoreOptions)));
    }
}
