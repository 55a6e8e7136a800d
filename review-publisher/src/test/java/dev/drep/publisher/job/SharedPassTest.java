package dev.drep.publisher.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedPassTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aPassRunsOnTheContextItWasBuiltOnWhicheverCallerSubscribesFirst() throws Exception {
        // a Hibernate Reactive pass keeps its session in the context it was built on: run on another context, it
        // finds none ("No current Mutiny.Session found", seen when two resumes of stored reviews started together)
        SharedPass shared = new SharedPass();
        AtomicReference<Context> builtOn = new AtomicReference<>();
        AtomicReference<Context> ranOn = new AtomicReference<>();
        AtomicInteger built = new AtomicInteger();
        CompletableFuture<Void> release = new CompletableFuture<>();
        Context first = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        Context second = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());

        Uni<Void> joinedFirst = onContext(first, () -> shared.join(() -> {
            built.incrementAndGet();
            builtOn.set(Vertx.currentContext());
            return Uni.createFrom().item(() -> {
                ranOn.set(Vertx.currentContext());
                return (Void) null;
            }).chain(() -> Uni.createFrom().completionStage(release));
        }));
        // the other caller joins the same pass and happens to subscribe before the one that asked for it
        Uni<Void> joinedSecond = onContext(second, () -> shared.join(() -> {
            throw new AssertionError("a second pass was built while one runs");
        }));
        CompletableFuture<Void> secondDone = onContext(second, () -> joinedSecond.subscribeAsCompletionStage());
        CompletableFuture<Void> firstDone = onContext(first, () -> joinedFirst.subscribeAsCompletionStage());
        release.complete(null);

        assertThat(secondDone).succeedsWithin(Duration.ofSeconds(5));
        assertThat(firstDone).succeedsWithin(Duration.ofSeconds(5));
        assertThat(built).hasValue(1);
        assertThat(ranOn.get()).as("the context the pass ran on").isSameAs(builtOn.get());

        // once it has ended, the next caller starts a new pass
        assertThat(onContext(first, () -> shared.join(() -> {
            built.incrementAndGet();
            return Uni.createFrom().voidItem();
        }).subscribeAsCompletionStage())).succeedsWithin(Duration.ofSeconds(5));
        assertThat(built).hasValue(2);
    }

    private static <T> T onContext(Context context, java.util.function.Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            try {
                result.complete(action.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get();
    }
}
