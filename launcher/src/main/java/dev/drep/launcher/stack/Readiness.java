package dev.drep.launcher.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Waits for services to become ready, failing fast: the moment one exits, there is no point in
 * waiting for the others.
 */
public final class Readiness {
    private static final long POLL_MILLIS = 250;

    private final HealthProbe probe;

    public Readiness(HealthProbe probe) {
        this.probe = probe;
    }

    /**
     * Returns once every service answers 200 on its readiness endpoint.
     *
     * @param services the services, already started
     * @param timeout  how long to wait for all of them
     * @param onReady  told about each service as it becomes ready
     * @throws ServiceStartException when one exits first, or some are not ready in time
     */
    public void awaitAll(List<ServiceProcess> services, Duration timeout, Consumer<ServiceProcess> onReady)
            throws ServiceStartException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ServiceProcess> waiting = new ArrayList<>(services);
        while (true) {
            for (var it = waiting.iterator(); it.hasNext(); ) {
                ServiceProcess service = it.next();
                if (!service.isAlive()) {
                    throw ServiceStartException.exited(service);
                }
                if (probe.isReady(service.spec().readinessUri())) {
                    it.remove();
                    onReady.accept(service);
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw ServiceStartException.notReady(waiting, timeout);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
