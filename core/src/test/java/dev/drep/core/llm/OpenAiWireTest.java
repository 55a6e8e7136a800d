package dev.drep.core.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenAiWireTest {
    private static final String ANSWER = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":%s,"
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"{}\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}}";

    @Test
    void theAnswerNamesTheModelTheCompletionNames() {
        ChatOutcome.Answer answer = OpenAiWire.readAnswer(ANSWER.formatted("\"cheap\""), false, 0.5).orElseThrow();

        assertThat(answer.model()).isEqualTo("cheap");
        assertThat(answer.promptTokens()).isEqualTo(7);
    }

    @Test
    void aCompletionWithoutAModelOrWithABlankOneGivesNone() {
        assertThat(OpenAiWire.readAnswer(ANSWER.formatted("null"), false, 0).orElseThrow().model()).isNull();
        assertThat(OpenAiWire.readAnswer(ANSWER.formatted("\" \""), false, 0).orElseThrow().model()).isNull();
    }
}
