package dev.drep.gateway.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drep.testsupport.logging.CapturedLog;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CompletionLogTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e473";
    private static final String SPAN = "00f067aa0ba902b7";

    @Test
    void eachLineIsLoggedOnceInTheContextItWasLoggedIn() {
        CompletionLog log = new CompletionLog();
        log.start();
        try (CapturedLog captured = CapturedLog.attach()) {
            for (int i = 0; i < 3; i++) {
                log.info("completion line " + i, "job-" + i, SpanContext.create(TRACE + i, SPAN, TraceFlags.getSampled(),
                        TraceState.getDefault()));
            }
            log.info("completion line without a job or trace", null, SpanContext.getInvalid());

            await().atMost(Duration.ofSeconds(5)).until(() -> lines(captured).size() == 4);
            assertThat(captured.entries()).filteredOn(entry -> entry.message().startsWith("completion line"))
                    .extracting(entry -> entry.message() + " " + new TreeMap<>(entry.mdc()))
                    .containsExactly(
                            "completion line 0 {jobId=job-0, sampled=true, spanId=" + SPAN + ", traceId=" + TRACE + "0}",
                            "completion line 1 {jobId=job-1, sampled=true, spanId=" + SPAN + ", traceId=" + TRACE + "1}",
                            "completion line 2 {jobId=job-2, sampled=true, spanId=" + SPAN + ", traceId=" + TRACE + "2}",
                            // nothing of the line before it
                            "completion line without a job or trace {}");
        } finally {
            log.stop(null);
        }
    }

    @Test
    void moreLinesThanMayWaitAreLoggedByTheirRequestsAndNoneIsLost() {
        // a writer that does not come round before the stop: as a console that cannot keep up
        int mostWaiting = 100;
        CompletionLog log = new CompletionLog(Duration.ofHours(1).toMillis(), mostWaiting);
        log.start();
        int lines = mostWaiting * 2;
        try (CapturedLog captured = CapturedLog.attach()) {
            IntStream.range(0, lines).parallel().forEach(i -> log.info("completion line " + i, null,
                    SpanContext.getInvalid()));
            // beyond the bound each caller logged its own line at once
            assertThat(lines(captured)).hasSize(lines - mostWaiting);
            log.stop(null);

            List<String> logged = lines(captured);
            assertThat(logged).hasSize(lines);
            assertThat(Set.copyOf(logged)).isEqualTo(IntStream.range(0, lines).mapToObj(i -> "completion line " + i)
                    .collect(Collectors.toSet()));
        }
    }

    @Test
    void aStopLogsWhatIsWaitingAndLaterLinesAtOnce() {
        CompletionLog log = new CompletionLog(Duration.ofHours(1).toMillis(), 100);
        log.start();
        try (CapturedLog captured = CapturedLog.attach()) {
            log.info("completion line before the stop", null, SpanContext.getInvalid());
            log.stop(null);
            assertThat(lines(captured)).containsExactly("completion line before the stop");

            // a request still finishing while the gateway stops
            log.info("completion line after the stop", null, SpanContext.getInvalid());
            assertThat(lines(captured)).containsExactly("completion line before the stop",
                    "completion line after the stop");
        }
    }

    private static List<String> lines(CapturedLog captured) {
        return captured.entries().stream().map(CapturedLog.Entry::message)
                .filter(message -> message.startsWith("completion line")).toList();
    }
}
