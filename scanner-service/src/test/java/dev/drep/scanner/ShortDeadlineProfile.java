package dev.drep.scanner;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Job deadlines of seconds instead of 30 minutes, watched and relayed every second; a publisher that is away is
 * waited for a second at most before the planning request goes back to the queue.
 */
public class ShortDeadlineProfile implements QuarkusTestProfile {
    /** The deadline, as the watchdog's reasons spell it. */
    static final String DEADLINE = "8s";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("drep.scanner.jobs.deadline", DEADLINE,
                "drep.scanner.jobs.watch-interval", "1s",
                "drep.scanner.jobs.relay-after", "1s",
                // a publisher away fails a delivery within a second, and the planning request goes back to the queue
                "drep.scanner.registration-retries", "2");
    }
}
