package dev.drep.k8s;

import static dev.drep.k8s.IdentityManifestsTest.BROKER_RIGHTS;
import static dev.drep.k8s.IdentityManifestsTest.secretData;
import static dev.drep.k8s.RenderedManifestsTest.objectName;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.embedded.FreePorts;
import dev.drep.k8s.Manifests.Rendered;
import dev.drep.k8s.Manifests.Variant;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpReceiver;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.amqp.AmqpSender;
import io.vertx.amqp.AmqpSenderOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation Artemis's security, rendered from the chart with every option on, in a real Artemis (the chart's
 * image version): the login.config and broker.properties the chart mounts, on top of what `artemis create` writes
 * (the admin in role amq with every right on "#", auto-created queues). Each service's user, with the password from
 * its own Secret, sends and consumes on its addresses and nowhere else; every address is a queue whoever creates it.
 */
class EvaluationBrokerUsersTest {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-password";
    /** Created by whichever client attaches first; the two dead-letter queues are declared in broker.properties. */
    static final Set<String> AUTO_CREATED_ADDRESSES = Set.of("drep.scanner.plan-requests", "drep.analysis.requests",
            "drep.analysis.results", "drep.job.events");
    static final Set<String> DREP_ADDRESSES = union(AUTO_CREATED_ADDRESSES,
            Set.of("drep.scanner.plan-requests.dead", "drep.analysis.requests.dead"));

    /** Refused receivers are what the test expects; Vert.x would warn about each one. */
    static final Logger VERTX_AMQP = Logger.getLogger("io.vertx.amqp");

    @TempDir
    static Path instance;

    static EmbeddedActiveMQ broker;
    static int port;
    static Vertx vertx;
    static String previousLoginConfig;
    /** service -> {username, password} from the Secret the chart renders for it. */
    static final Map<String, Map<String, String>> USERS = new TreeMap<>();

    @BeforeAll
    static void startTheBrokerAsTheChartConfiguresIt() throws Exception {
        VERTX_AMQP.setLevel(Level.SEVERE);
        Rendered r = Manifests.rendered(Variant.ALL_ON);
        JsonNode etcOverride = r.get("ConfigMap", objectName("artemis")).path("data");
        Map<String, String> serviceUsers = secretData(r.get("Secret", objectName("artemis-users")));
        for (String service : BROKER_RIGHTS.keySet()) {
            USERS.put(service, secretData(r.get("Secret", objectName(service) + "-amqp")));
        }

        // etc/ as `artemis create` leaves it, plus the chart's etc-override and the mounted users Secret
        Path etc = Files.createDirectories(instance.resolve("etc"));
        Path mountedUsers = Files.createDirectories(instance.resolve("broker-users"));
        Files.writeString(etc.resolve("artemis-users.properties"), ADMIN + " = " + ADMIN_PASSWORD + "\n");
        Files.writeString(etc.resolve("artemis-roles.properties"), "amq = " + ADMIN + "\n");
        Files.writeString(etc.resolve("login.config"), etcOverride.path("login.config").asText()
                .replace("/etc/drep/broker-users", mountedUsers.toString()));
        Files.writeString(etc.resolve("broker.properties"), etcOverride.path("broker.properties").asText());
        Files.writeString(mountedUsers.resolve("users.properties"), serviceUsers.get("users.properties"));
        Files.writeString(mountedUsers.resolve("roles.properties"), serviceUsers.get("roles.properties"));
        previousLoginConfig = System.setProperty("java.security.auth.login.config", etc.resolve("login.config").toString());

        port = FreePorts.find();
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("drep");
        config.setSecurityEnabled(true);
        config.setPersistenceEnabled(false);
        config.setJMXManagementEnabled(false);
        config.addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + port + "?protocols=AMQP");
        config.putSecurityRoles("#", Set.of(new Role("amq", true, true, true, true, true, true, true, true, true, true, true, true)));
        config.addAddressSetting("#", new AddressSettings().setAutoCreateQueues(true).setAutoCreateAddresses(true)
                .setDeadLetterAddress(SimpleString.of("DLQ")).setExpiryAddress(SimpleString.of("ExpiryQueue")));
        config.parseFileProperties(etc.resolve("broker.properties").toFile());
        // Artemis notes a key it cannot apply (a misspelt setting) in its status instead of failing: the chart's
        // broker.properties must apply whole
        JsonNode status = new ObjectMapper().readTree(config.getStatus());
        assertThat(status.findValues("errors")).as("what Artemis could not apply of the chart's broker.properties: %s",
                status).allSatisfy(errors -> assertThat(errors).isEmpty());
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.setSecurityManager(new ActiveMQJAASSecurityManager("activemq"));
        broker.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            await(vertx.close());
        }
        if (broker != null) {
            broker.stop();
        }
        if (previousLoginConfig == null) {
            System.clearProperty("java.security.auth.login.config");
        } else {
            System.setProperty("java.security.auth.login.config", previousLoginConfig);
        }
    }

    @Test
    void eachServiceSendsAndConsumesOnItsOwnAddressesOnly() {
        for (Map.Entry<String, Map<String, Set<String>>> service : BROKER_RIGHTS.entrySet()) {
            Map<String, String> user = USERS.get(service.getKey());
            Set<String> sends = new TreeSet<>();
            Set<String> consumes = new TreeSet<>();
            for (String address : union(DREP_ADDRESSES, Set.of("DLQ", "ExpiryQueue"))) {
                if (canSend(user.get("username"), user.get("password"), address)) {
                    sends.add(address);
                }
                if (canConsume(user.get("username"), user.get("password"), address)) {
                    consumes.add(address);
                }
            }
            assertThat(sends).as("%s sends to", user.get("username")).isEqualTo(service.getValue().get("send"));
            assertThat(consumes).as("%s consumes from", user.get("username")).isEqualTo(service.getValue().get("consume"));
        }
    }

    @Test
    void aWrongPasswordOrAnotherServicesPasswordIsRefused() {
        Map<String, String> scanner = USERS.get("scanner-service");
        Map<String, String> analyzer = USERS.get("analyzer-service");
        assertThat(connects(scanner.get("username"), scanner.get("password"))).isTrue();
        assertThat(connects(scanner.get("username"), analyzer.get("password"))).isFalse();
        assertThat(connects(scanner.get("username"), "")).isFalse();
        assertThat(connects("anonymous", "")).isFalse();
    }

    @Test
    void theAdminKeepsEveryRightOnDrepsAddressesForTheConsoleAndKeda() {
        for (String address : DREP_ADDRESSES) {
            assertThat(canSend(ADMIN, ADMIN_PASSWORD, address)).as("admin sends to %s", address).isTrue();
            assertThat(canConsume(ADMIN, ADMIN_PASSWORD, address)).as("admin consumes from %s", address).isTrue();
        }
    }

    /**
     * A broker that comes back without drep's addresses (a new pod on its emptyDir journal, an address auto-removed)
     * has each created again by whichever client attaches first. SmallRye's AMQP sender, reattaching, names no
     * routing type: with Artemis' default the address became multicast, the message went nowhere and every queue
     * intake (capability "queue", anycast) was refused from then on, so work stopped without a word.
     */
    @Test
    void anAddressFirstCreatedByASenderThatNamesNoRoutingIsStillAQueueTheServicesTakeFrom() throws Exception {
        for (String address : AUTO_CREATED_ADDRESSES) {
            forget(address);
            Map<String, String> sender = USERS.get(serviceThat("send", address));
            Map<String, String> consumer = USERS.get(serviceThat("consume", address));
            String body = "sent to " + address + " before anyone listened";

            AmqpConnection connection = connect(sender.get("username"), sender.get("password"));
            try {
                AmqpSender namingNoRouting = await(connection.createSender(address));
                await(namingNoRouting.sendWithAck(AmqpMessage.create().withBody(body).build()));
            } finally {
                closeQuietly(connection);
            }

            assertThat(broker.getActiveMQServer().getAddressInfo(SimpleString.of(address)).getRoutingTypes())
                    .as("%s's routing", address).containsExactly(RoutingType.ANYCAST);
            assertThat(receiveOne(consumer.get("username"), consumer.get("password"), address))
                    .as("what %s's consumer receives", address).isEqualTo(body);
        }
    }

    /** Removes the address and its queues, as on a broker that came back without it. */
    private static void forget(String address) throws Exception {
        SimpleString name = SimpleString.of(address);
        if (broker.getActiveMQServer().getAddressInfo(name) != null) {
            broker.getActiveMQServer().removeAddressInfo(name, null, true);
        }
    }

    /** The service that has the right ("send" or "consume") on the address. */
    private static String serviceThat(String right, String address) {
        return BROKER_RIGHTS.entrySet().stream().filter(service -> service.getValue().get(right).contains(address))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    // ---- AMQP ----------------------------------------------------------------------------------

    private static boolean connects(String username, String password) {
        try {
            AmqpConnection connection = connect(username, password);
            await(connection.close());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Attaches a sender to the queue (as the services' channels do, capability "queue") and sends one message. */
    private static boolean canSend(String username, String password, String address) {
        AmqpConnection connection = connect(username, password);
        try {
            var sender = await(connection.createSender(address, new AmqpSenderOptions().setCapabilities(List.of("queue"))));
            await(sender.sendWithAck(AmqpMessage.create().withBody("probe").build()));
            return true;
        } catch (RuntimeException e) {
            return false;
        } finally {
            closeQuietly(connection);
        }
    }

    /** Attaches a receiver to the queue, as the services' consumers do. */
    private static boolean canConsume(String username, String password, String address) {
        AmqpConnection connection = connect(username, password);
        try {
            await(connection.createReceiver(address, new AmqpReceiverOptions().setCapabilities(List.of("queue"))));
            return true;
        } catch (RuntimeException e) {
            return false;
        } finally {
            closeQuietly(connection);
        }
    }

    /** Attaches a receiver as the services' queue intakes do (capability "queue") and takes one message. */
    private static String receiveOne(String username, String password, String address) {
        AmqpConnection connection = connect(username, password);
        try {
            Promise<String> received = Promise.promise();
            AmqpReceiver receiver = await(connection.createReceiver(address,
                    new AmqpReceiverOptions().setCapabilities(List.of("queue"))));
            receiver.handler(message -> received.tryComplete(message.bodyAsString()));
            return await(received.future());
        } finally {
            closeQuietly(connection);
        }
    }

    private static AmqpConnection connect(String username, String password) {
        return await(AmqpClient.create(vertx, new AmqpClientOptions().setHost("127.0.0.1").setPort(port)
                .setUsername(username).setPassword(password)).connect());
    }

    private static void closeQuietly(AmqpConnection connection) {
        try {
            await(connection.close());
        } catch (RuntimeException e) {
            // the broker may have closed it after refusing a link; nothing to release then
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }
}
