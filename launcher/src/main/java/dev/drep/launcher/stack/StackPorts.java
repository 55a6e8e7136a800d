package dev.drep.launcher.stack;

import dev.drep.embedded.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The TCP ports of one local stack on 127.0.0.1: PostgreSQL, the AMQP broker and the four services.
 *
 * @param postgres   PostgreSQL
 * @param broker     the AMQP 1.0 acceptor
 * @param services   each service's HTTP (API) port
 * @param management each service's management port (health and metrics; never the API port)
 */
public record StackPorts(int postgres, int broker, Map<ServiceKind, Integer> services,
        Map<ServiceKind, Integer> management) {
    public StackPorts {
        services = Map.copyOf(services);
        management = Map.copyOf(management);
    }

    /** @return the HTTP port of {@code kind} */
    public int of(ServiceKind kind) {
        return services.get(kind);
    }

    /** @return the management port of {@code kind}: health and metrics */
    public int managementOf(ServiceKind kind) {
        return management.get(kind);
    }

    /**
     * Chooses distinct ports.
     *
     * @param preferDefaults use each service's {@link ServiceKind#defaultPort()} when it is free, so that a
     *                       long-running stack keeps the URLs people know; free ports otherwise
     */
    public static StackPorts choose(boolean preferDefaults) {
        Set<Integer> taken = new HashSet<>();
        Map<ServiceKind, Integer> services = new EnumMap<>(ServiceKind.class);
        for (ServiceKind kind : ServiceKind.values()) {
            int port = preferDefaults && isFree(kind.defaultPort()) ? kind.defaultPort() : freePort(taken);
            taken.add(port);
            services.put(kind, port);
        }
        // free ports, never Quarkus' default 9000: two stacks (or a stack and another program) would collide there
        Map<ServiceKind, Integer> management = new EnumMap<>(ServiceKind.class);
        for (ServiceKind kind : ServiceKind.values()) {
            int port = freePort(taken);
            taken.add(port);
            management.put(kind, port);
        }
        int postgres = freePort(taken);
        taken.add(postgres);
        int broker = freePort(taken);
        return new StackPorts(postgres, broker, services, management);
    }

    // FreePorts may hand out the same port twice in a row; the stack needs them distinct.
    private static int freePort(Set<Integer> taken) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = FreePorts.find();
            if (!taken.contains(port)) {
                return port;
            }
        }
        throw new IllegalStateException("could not find enough free ports on 127.0.0.1");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
