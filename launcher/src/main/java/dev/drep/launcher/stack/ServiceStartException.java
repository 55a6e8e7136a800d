package dev.drep.launcher.stack;

import dev.drep.launcher.LauncherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One or more services did not start: they exited, or were not ready in time. The details hold the
 * end of each one's log, which usually names the cause.
 */
public final class ServiceStartException extends LauncherException {
    private final List<String> services;

    private ServiceStartException(String message, List<String> services, List<String> details) {
        super(message, details, null);
        this.services = List.copyOf(services);
    }

    /** The service exited before it was ready. */
    public static ServiceStartException exited(ServiceProcess service) {
        String code = service.exitCode().isPresent() ? " with code " + service.exitCode().getAsInt() : "";
        return new ServiceStartException(service.name() + " stopped" + code + " before it was ready. "
                + "Its log below usually names the cause; the whole log is " + service.spec().logFile() + ".",
                List.of(service.name()), logSection(service));
    }

    /** The services did not answer their readiness check in time. */
    public static ServiceStartException notReady(List<ServiceProcess> services, Duration timeout) {
        List<String> names = services.stream().map(ServiceProcess::name).toList();
        List<String> details = new ArrayList<>();
        services.forEach(s -> details.addAll(logSection(s)));
        return new ServiceStartException(String.join(", ", names) + (names.size() == 1 ? " was" : " were")
                + " not ready after " + timeout.toSeconds() + " s. Check the log below; on a slow or busy "
                + "machine, allow more time with --start-timeout.", names, details);
    }

    /** @return the names of the services at fault */
    public List<String> services() {
        return services;
    }

    private static List<String> logSection(ServiceProcess service) {
        Path log = service.spec().logFile();
        List<String> tail = service.logTail(LogTail.DEFAULT_LINES);
        List<String> lines = new ArrayList<>();
        lines.add("--- " + service.name() + ": last " + tail.size() + " lines of " + log + " ---");
        lines.addAll(tail);
        lines.add("--- end of " + service.name() + " log ---");
        return lines;
    }
}
