package dev.drep.launcher.stack;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/** Prints a stack's addresses for a person. */
final class StackPrinter {
    private StackPrinter() {
    }

    static void print(PrintWriter out, StackState state, Map<String, Boolean> readiness) {
        for (StackState.Service service : state.services()) {
            String health = readiness == null ? ""
                    : service.gaveUp() ? "  stopped (kept exiting; see its log)"
                    : Boolean.TRUE.equals(readiness.get(service.name())) ? "  ready" : "  not ready";
            String restarts = service.restarts() > 0 ? "  restarted " + service.restarts() + "x" : "";
            out.println(String.format("  %-18s %-24s pid %-8d%s%s", service.name(), service.url(), service.pid(), health,
                    restarts).stripTrailing());
            if (service.managementUrl() != null) {
                out.printf("  %-18s %-24s health, metrics%n", "", service.managementUrl());
            }
        }
        out.printf("  %-18s %s%n", "PostgreSQL", state.jdbcUrl() == null ? "port " + state.postgresPort() : state.jdbcUrl());
        out.printf("  %-18s amqp://127.0.0.1:%d%n", "AMQP broker", state.brokerPort());
        out.printf("  %-18s pid %d%n", "stack process", state.daemonPid());
        out.printf("Logs: %s%n", Path.of(state.dataFolder()).resolve("logs"));
        out.flush();
    }
}
