package dev.drep.scanner;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Job deadlines of seconds instead of 30 minutes, watched and relayed every second. */
public class ShortDeadlineProfile implements QuarkusTestProfile {
    /** The deadline, as the watchdog's reasons spell it. */
    static final String DEADLINE = "8s";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("drep.scanner.jobs.deadline", DEADLINE,
                "drep.scanner.jobs.watch-interval", "1s",
                "drep.scanner.jobs.relay-after", "1s");
    }
}
