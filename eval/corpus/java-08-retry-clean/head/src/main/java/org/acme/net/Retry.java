package org.acme.net;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Calls an action up to a number of attempts, doubling the pause between them. */
public final class Retry {
    private final int attempts;
    private final Duration firstPause;

    /**
     * @param attempts   how many times the action is called at most (1 or more)
     * @param firstPause the pause after the first failure; each later pause is twice the one before
     */
    public Retry(int attempts, Duration firstPause) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        this.attempts = attempts;
        this.firstPause = firstPause;
    }

    /** @return what {@code action} returns, once it succeeds; the last failure when every attempt fails */
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
