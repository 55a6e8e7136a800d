package org.acme.net;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Calls an action up to a number of attempts, doubling the pause between them. */
public final class Retry {
    private final int attempts;
    private final Duration firstPause;

    public Retry(int attempts, Duration firstPause) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        this.attempts = attempts;
        this.firstPause = firstPause;
    }

    public <T> T call(Callable<T> action) throws Exception {
        Duration pause = firstPause;
        for (int attempt = 1; ; attempt++) {
            try {
                return action.call();
            } catch (Exception e) {
                if (attempt == attempts) {
                    throw e;
                }
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2);
            }
        }
    }
}
