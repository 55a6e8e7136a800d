package dev.drep.gateway.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.gateway.provider.TokenCounts;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamRelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String chunk(String choices) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"provider-model\","
                + "\"choices\":" + choices + ",\"usage\":null}";
    }

    private static JsonNode data(String frame) throws Exception {
        assertThat(frame).startsWith("data: ").endsWith("\n\n");
        return JSON.readTree(frame.substring(6).strip());
    }

    @Test
    void chunksPassWithTheAliasAsModelAndAreAssembled() throws Exception {
        StreamRelay relay = new StreamRelay("fast", false);

        JsonNode first = data(relay.relay(chunk("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]")));
        relay.relay(chunk("[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]"));
        String usage = relay.relay("{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,"
                + "\"total_tokens\":7}}");
        String done = relay.relay("[DONE]");

        assertThat(first.path("model").asText()).isEqualTo("fast");
        assertThat(first.has("usage")).as("a client that did not ask gets no usage field").isFalse();
        assertThat(usage).as("nor the usage chunk").isEmpty();
        assertThat(done).isEqualTo("data: [DONE]\n\n");
        assertThat(relay.state()).isEqualTo(StreamRelay.State.DONE);
        assertThat(relay.usage()).isEqualTo(new TokenCounts(5, 2, 7));
        assertThat(relay.content()).isEqualTo("Hello");
        assertThat(relay.finishReason()).isEqualTo("stop");
        assertThat(relay.choices().get(0).path("message").path("content").asText()).isEqualTo("Hello");
    }

    @Test
    void aClientThatAskedForUsageGetsTheUsageChunk() throws Exception {
        StreamRelay relay = new StreamRelay("fast", true);

        JsonNode usage = data(relay.relay("{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,"
                + "\"completion_tokens\":2,\"total_tokens\":7}}"));

        assertThat(usage.path("usage").path("total_tokens").asInt()).isEqualTo(7);
    }

    @Test
    void toolCallPiecesAreJoinedAsSentEvenWhenTheArgumentsAreNotJson() {
        StreamRelay relay = new StreamRelay("fast", false);
        relay.relay(chunk("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}]"));
        relay.relay(chunk("[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"ci\"}}]}}]"));
        relay.relay(chunk("[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]"));

        JsonNode message = relay.choices().get(0).path("message");
        assertThat(message.path("content").isNull()).isTrue();
        assertThat(message.path("tool_calls").get(0).path("id").asText()).isEqualTo("call_1");
        assertThat(message.path("tool_calls").get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(message.path("tool_calls").get(0).path("function").path("arguments").asText()).isEqualTo("{\"ci");
        assertThat(relay.choices().get(0).path("finish_reason").asText()).isEqualTo("tool_calls");
    }

    @Test
    void anEventThatIsNotAChunkIsMalformed() {
        StreamRelay relay = new StreamRelay("fast", false);

        assertThatThrownBy(() -> relay.relay("{\"id\":\"c1\",\"choices\": [")).isInstanceOf(IllegalStateException.class);
        assertThat(relay.state()).isEqualTo(StreamRelay.State.MALFORMED);
        assertThat(relay.relay("[DONE]")).as("nothing passes after").isEmpty();
    }

    @Test
    void anErrorEventFromTheProviderEndsTheRelay() {
        StreamRelay relay = new StreamRelay("fast", false);

        assertThatThrownBy(() -> relay.relay("{\"error\":{\"message\":\"overloaded\"}}"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(relay.state()).isEqualTo(StreamRelay.State.PROVIDER_ERROR);
        assertThat(relay.problem()).isEqualTo("overloaded");
    }

    @Test
    void aReplayStreamsTheWholeAnswerAgainInChunksAClientAssemblesToTheSame() throws Exception {
        StreamRelay original = new StreamRelay("fast", false);
        original.relay(chunk("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\",\"tool_calls\":["
                + "{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "\"finish_reason\":\"tool_calls\"}]"));

        List<String> frames = StreamRelay.replay("c2", 7, "fast", original.choices(), new TokenCounts(3, 4, 7), true);

        StreamRelay again = new StreamRelay("fast", true);
        for (String frame : frames) {
            again.relay(frame.substring(6).strip());
        }
        assertThat(again.state()).isEqualTo(StreamRelay.State.DONE);
        assertThat(again.choices()).isEqualTo(original.choices());
        assertThat(again.usage()).isEqualTo(new TokenCounts(3, 4, 7));
        assertThat(frames.get(frames.size() - 1)).isEqualTo("data: [DONE]\n\n");
    }
}
