package dev.drep.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.amqp.AmqpClientOptions;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/** The intakes reach the broker the messaging channels reach, with the same credentials and TLS. */
class ConnectorBrokerTest {
    /** A service without named TLS configurations. */
    private static final TlsConfigurationRegistry NONE = new TlsConfigurationRegistry() {
        @Override
        public Optional<TlsConfiguration> get(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<TlsConfiguration> getDefault() {
            return Optional.empty();
        }

        @Override
        public void register(String name, TlsConfiguration configuration) {
            throw new UnsupportedOperationException();
        }
    };

    private static Config config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withDefaultValues(values).build();
    }

    @Test
    void plainAmqpWithTheChannelsCredentials() {
        AmqpClientOptions options = ConnectorBroker.options(config(Map.of("amqp-host", "broker.internal",
                "amqp-port", "5672", "amqp-username", "drep", "amqp-password", "secret")), NONE);

        assertThat(options.getHost()).isEqualTo("broker.internal");
        assertThat(options.getPort()).isEqualTo(5672);
        assertThat(options.getUsername()).isEqualTo("drep");
        assertThat(options.getPassword()).isEqualTo("secret");
        assertThat(options.isSsl()).isFalse();
    }

    @Test
    void tlsWithoutANamedConfigurationVerifiesTheBrokersNameAgainstTheJvmsTrust() {
        AmqpClientOptions options = ConnectorBroker.options(config(Map.of("amqp-host", "broker.internal",
                "amqp-port", "5671", "amqp-use-ssl", "true")), NONE);

        assertThat(options.isSsl()).isTrue();
        assertThat(options.getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(options.getTrustOptions()).isNull();
        assertThat(options.getUsername()).isNull();
    }

    @Test
    void aTlsConfigurationNameThatIsNotConfiguredIsRefusedByName() {
        Config config = config(Map.of("amqp-host", "broker.internal", "amqp-port", "5671", "amqp-use-ssl", "true",
                ConnectorBroker.TLS_CONFIGURATION_NAME, "amqp-tls"));

        assertThatThrownBy(() -> ConnectorBroker.options(config, NONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'amqp-tls', which is not configured")
                .hasMessageContaining("quarkus.tls.\"amqp-tls\".trust-store");
    }
}
