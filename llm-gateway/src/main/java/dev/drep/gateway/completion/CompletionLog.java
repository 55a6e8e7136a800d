package dev.drep.gateway.completion;

import dev.drep.gateway.metadata.DrepMetadata;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The gateway's one log line per completion, handed to the log in bursts. A request only queues its line with its
 * job and the trace of its server span; a thread of this class's own logs the waiting lines every
 * {@value #INTERVAL_MILLIS} ms, each with that job and trace in the log context (MDC: {@code jobId}, and
 * {@code traceId}, {@code spanId}, {@code sampled} as Quarkus puts them), so a JSON line reads as if the request had
 * logged it. The ids are taken from the request, not from whatever log context the thread that ends it has.
 *
 * <p>Why: the console is written by a logging thread (application.properties), and a line logged by each request
 * woke that thread once per request. At thousands of requests a second the wake-ups and the thread's sleeping again
 * were a tenth of the gateway's CPU (docs/benchmarks.md); a burst wakes it once.
 *
 * <p>A line appears up to {@value #INTERVAL_MILLIS} ms after its request ended. Nothing is dropped: when more than
 * {@value #MOST_WAITING} lines wait (the console cannot keep up), a request logs its line itself, and so waits for
 * the console as it did before. A stop logs what is waiting. Logged under {@link CompletionService}'s category, where
 * these lines have always been.
 */
@ApplicationScoped
public class CompletionLog {

    private static final long INTERVAL_MILLIS = 10;
    private static final int MOST_WAITING = 10_000;
    private static final Logger LOG = Logger.getLogger(CompletionService.class);
    /** Quarkus' OpenTelemetry log context keys. */
    private static final String TRACE_ID = "traceId";
    private static final String SPAN_ID = "spanId";
    private static final String SAMPLED = "sampled";

    private final Queue<Line> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int mostWaiting;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "drep-gateway-completion-log");
        thread.setDaemon(true);
        return thread;
    });

    /** One line, its job (or null) and its trace (invalid when there is none). */
    private record Line(String message, String job, SpanContext trace) {
    }

    private final long intervalMillis;
    /** Set by a stop: from then on a caller logs its line itself. */
    private volatile boolean stopped;

    /** The gateway's; its writer starts with the bean ({@link #start}). */
    public CompletionLog() {
        this(INTERVAL_MILLIS, MOST_WAITING);
    }

    /**
     * @param intervalMillis how often the writer logs the waiting lines
     * @param mostWaiting    most lines waiting; beyond, a caller logs its line itself
     */
    CompletionLog(long intervalMillis, int mostWaiting) {
        this.intervalMillis = intervalMillis;
        this.mostWaiting = mostWaiting;
    }

    /** Starts the writer (not in the constructor: a CDI client proxy calls that too). */
    @PostConstruct
    void start() {
        writer.scheduleWithFixedDelay(this::logWaiting, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** @return whether completion lines are logged at all (the category's level) */
    public boolean enabled() {
        return LOG.isInfoEnabled();
    }

    /**
     * Logs {@code message} at INFO, soon, with the job and trace in its log context.
     *
     * @param message the line
     * @param job     the request's drep job ({@code X-Drep-Job}), or {@code null}
     * @param trace   the request's span ({@link SpanContext#getInvalid()} when it has none)
     */
    public void info(String message, String job, SpanContext trace) {
        Line line = new Line(message, job, trace);
        if (stopped) {
            log(line);
            return;
        }
        if (count.incrementAndGet() > mostWaiting) {
            count.decrementAndGet();
            log(line);
            return;
        }
        waiting.add(line);
        if (stopped) {
            // the stop's last pass may have run just before the line was added
            logWaiting();
        }
    }

    /** Logs every waiting line, oldest first. */
    void logWaiting() {
        Line line;
        while ((line = waiting.poll()) != null) {
            count.decrementAndGet();
            log(line);
        }
    }

    private static void log(Line line) {
        Object job = MDC.get(DrepMetadata.JOB_LOG_KEY);
        Object traceId = MDC.get(TRACE_ID);
        Object spanId = MDC.get(SPAN_ID);
        Object sampled = MDC.get(SAMPLED);
        boolean traced = line.trace().isValid();
        put(DrepMetadata.JOB_LOG_KEY, line.job());
        put(TRACE_ID, traced ? line.trace().getTraceId() : null);
        put(SPAN_ID, traced ? line.trace().getSpanId() : null);
        put(SAMPLED, traced ? Boolean.toString(line.trace().isSampled()) : null);
        try {
            LOG.info(line.message());
        } finally {
            put(DrepMetadata.JOB_LOG_KEY, job);
            put(TRACE_ID, traceId);
            put(SPAN_ID, spanId);
            put(SAMPLED, sampled);
        }
    }

    private static void put(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** Logs what is still waiting when the gateway stops; a request that ends later logs its own line. */
    void stop(@Observes ShutdownEvent stopping) {
        stopped = true;
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        logWaiting();
    }
}
