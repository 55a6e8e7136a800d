package dev.drep.testsupport.infra;

import dev.drep.embedded.LocalBroker;
import dev.drep.embedded.LocalPostgres;

/**
 * One embedded PostgreSQL and one embedded Artemis per test JVM, started on first use and stopped
 * when the JVM exits. Every Quarkus test boot in the JVM reuses them, which keeps the suite fast on
 * two cores; tests isolate themselves by ids (each job, unit and repository is fresh).
 */
public final class SharedInfrastructure {
    private static LocalPostgres postgres;
    private static LocalBroker broker;

    private SharedInfrastructure() {
    }

    /** @return the JVM's embedded PostgreSQL, started if needed */
    public static synchronized LocalPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = LocalPostgres.start(null, 0);
            } catch (Exception e) {
                throw new IllegalStateException("embedded PostgreSQL did not start: " + e.getMessage(), e);
            }
            LocalPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(started)));
        }
        return postgres;
    }

    /** @return the JVM's embedded AMQP broker, started if needed */
    public static synchronized LocalBroker broker() {
        if (broker == null) {
            try {
                broker = LocalBroker.start(null, 0, LocalBroker.Redelivery.QUICK);
            } catch (Exception e) {
                throw new IllegalStateException("embedded Artemis did not start: " + e.getMessage(), e);
            }
            LocalBroker started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(started)));
        }
        return broker;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // the JVM is exiting; nothing left to tell
            System.err.println("stopping " + closeable.getClass().getSimpleName() + " failed: " + e.getMessage());
        }
    }
}
