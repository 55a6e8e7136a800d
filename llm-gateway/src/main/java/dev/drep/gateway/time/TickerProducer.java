package dev.drep.gateway.time;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The gateway's one {@link Ticker}: system time and one timer thread, stopped with the application. */
public class TickerProducer {

    /** @return the ticker */
    @Produces
    @Singleton
    public SystemTicker ticker() {
        return new SystemTicker("drep-gateway-timer");
    }

    /**
     * @param ticker the ticker to stop
     */
    public void close(@Disposes SystemTicker ticker) {
        ticker.close();
    }
}
