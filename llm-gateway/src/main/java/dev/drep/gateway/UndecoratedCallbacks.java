package dev.drep.gateway;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Turns off Mutiny's callback decoration in the gateway, as Mutiny's own {@code mutiny.disableCallBackDecorators}
 * property would, but without a JVM option that every way of starting the gateway (image, chart, launcher, tests,
 * load runs) would have to carry.
 *
 * <p>With SmallRye Context Propagation on the classpath (every Quarkus application has it), Mutiny wraps every
 * callback of every operator so that it captures the thread context of the code that built it (ArC's request
 * context, the transaction, the OpenTelemetry context, the MDC) and restores it around the call. That was a quarter
 * of what the gateway allocated per request and a share of its CPU (docs/benchmarks.md, "The hop without context
 * capture"). The gateway does not need it: its request path runs on the request's own Vert.x (duplicated) context,
 * where Quarkus keeps the request context, the OpenTelemetry context and the MDC anyway, and the one place it leaves
 * that context (the detached provider call a cancelled client leaves behind) carries the trace and the job id itself
 * ({@code ProviderInvoker.Origin}). It never moves work to another thread through Mutiny ({@code emitOn},
 * {@code runSubscriptionOn}).
 *
 * <p>It runs first at start-up, before the gateway takes requests; the callbacks built while Quarkus started keep
 * their decoration, which costs nothing per request.
 */
@Singleton
public class UndecoratedCallbacks {

    void undecorate(@Observes @Priority(1) StartupEvent started) {
        // clearInterceptors() empties the decorators and the interceptors; the interceptors come back from the
        // ServiceLoader as Mutiny first loaded them, the decorators do not
        Infrastructure.clearInterceptors();
        Infrastructure.reloadUniInterceptors();
        Infrastructure.reloadMultiInterceptors();
    }
}
