package dev.drep.launcher.stack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Looks for a usable stack started by {@code drep up}. */
public final class RunningStack {
    private RunningStack() {
    }

    /**
     * @return the stack's state when it is {@link StackState.Status#READY}, its daemon runs and every
     *         service answers ready; empty otherwise
     */
    public static Optional<StackState> findHealthy(DataFolder data, HealthProbe probe) {
        return StateFile.of(data).read()
                .filter(state -> state.status() == StackState.Status.READY)
                .filter(StackState::daemonAlive)
                .filter(state -> readiness(state, probe).values().stream().allMatch(ready -> ready));
    }

    /** @return for each recorded service, whether it answers ready now */
    public static Map<String, Boolean> readiness(StackState state, HealthProbe probe) {
        Map<String, Boolean> ready = new LinkedHashMap<>();
        for (StackState.Service service : state.services()) {
            ready.put(service.name(), Processes.isRunning(service.pid(), service.startedAt())
                    && probe.isReady(service.readinessUri()));
        }
        return ready;
    }
}
