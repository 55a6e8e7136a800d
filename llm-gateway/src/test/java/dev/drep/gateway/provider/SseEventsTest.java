package dev.drep.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventsTest {

    @Test
    void dataLinesAreJoinedPerEventAndEverythingElseIsSkipped() {
        List<String> events = new ArrayList<>();
        SseEvents sse = new SseEvents(events::add);
        for (String line : List.of(": keep-alive", "event: message", "id: 7", "data: {\"a\":", "data:1}", "",
                "retry: 100", "", "data: [DONE]\r", "\r")) {
            sse.line(line);
        }

        assertThat(events).containsExactly("{\"a\":\n1}", "[DONE]");
    }

    @Test
    void anEventWithoutItsClosingBlankLineIsDispatchedAtTheEnd() {
        List<String> events = new ArrayList<>();
        SseEvents sse = new SseEvents(events::add);
        sse.line("data: last");
        sse.end();

        assertThat(events).containsExactly("last");
    }
}
