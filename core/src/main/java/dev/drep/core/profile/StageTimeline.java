package dev.drep.core.profile;

import dev.drep.contracts.Stage;
import dev.drep.contracts.StageSpan;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Records the stage spans of one line of work (a unit in an analyzer, the scanner's planning of a job, the
 * publisher's work on a job). Safe to use from several threads: an LLM unit makes calls in parallel.
 */
public final class StageTimeline {
    private final String source;
    private final Clock clock;
    private final List<StageSpan> spans = new ArrayList<>();

    /**
     * @param source who spends the time: {@code scanner}, {@code publisher} or a unit id
     * @param clock  where times come from
     */
    public StageTimeline(String source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    /** @return a timeline on the system clock */
    public static StageTimeline of(String source) {
        return new StageTimeline(source, Clock.systemUTC());
    }

    /** @return the current time on this timeline's clock */
    public Instant now() {
        return clock.instant();
    }

    /** Records an interval that ended now. */
    public void since(Stage stage, Instant start) {
        record(stage, start, now());
    }

    /** Records an interval. */
    public void record(Stage stage, Instant start, Instant end) {
        StageSpan span = new StageSpan(stage, source, start, end);
        synchronized (spans) {
            spans.add(span);
        }
    }

    /** Runs blocking work and records it as one span of {@code stage}. */
    public <T> T time(Stage stage, Supplier<T> work) {
        Instant start = now();
        try {
            return work.get();
        } finally {
            since(stage, start);
        }
    }

    /** Records an asynchronous step as one span of {@code stage}, from now until it completes (either way). */
    public <T> CompletionStage<T> timeAsync(Stage stage, Supplier<? extends CompletionStage<T>> work) {
        Instant start = now();
        return work.get().whenComplete((result, failure) -> since(stage, start));
    }

    /** @return the spans recorded so far, in recording order */
    public List<StageSpan> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }
}
