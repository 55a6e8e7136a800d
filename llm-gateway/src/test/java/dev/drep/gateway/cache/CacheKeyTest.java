package dev.drep.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.gateway.model.ModelRoute;
import dev.drep.gateway.provider.GenerationParameters;
import dev.drep.gateway.provider.ProviderMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheKeyTest {

    private static final ModelRoute ROUTE = new ModelRoute("fast", "default", "qwen", 4096);
    private static final List<ProviderMessage> MESSAGES = List.of(
            new ProviderMessage(ProviderMessage.Role.SYSTEM, "Review.", null),
            new ProviderMessage(ProviderMessage.Role.USER, "code", null));

    private static String key(ModelRoute route, List<ProviderMessage> messages, GenerationParameters parameters) {
        return CacheKey.of(route, messages, parameters);
    }

    @Test
    void theSameRequestHasTheSameKey() {
        assertThat(key(ROUTE, MESSAGES, GenerationParameters.none()))
                .isEqualTo(key(new ModelRoute("another-alias", "default", "qwen", 4096), List.copyOf(MESSAGES),
                        GenerationParameters.none()))
                .hasSize(64).matches("[0-9a-f]{64}");
    }

    @Test
    void everythingThatCanChangeTheAnswerChangesTheKey() {
        String base = key(ROUTE, MESSAGES, GenerationParameters.none());
        GenerationParameters warmer = new GenerationParameters(0.7, null, null, null, List.of(), null, null, null,
                false, null);
        GenerationParameters json = new GenerationParameters(null, null, null, null, List.of(), null, null, null,
                true, null);

        assertThat(List.of(
                key(new ModelRoute("fast", "default", "qwen-bigger", 4096), MESSAGES, GenerationParameters.none()),
                key(new ModelRoute("fast", "other-provider", "qwen", 4096), MESSAGES, GenerationParameters.none()),
                key(ROUTE, List.of(MESSAGES.get(1), MESSAGES.get(0)), GenerationParameters.none()),
                key(ROUTE, List.of(MESSAGES.get(0), new ProviderMessage(ProviderMessage.Role.ASSISTANT, "code", null)),
                        GenerationParameters.none()),
                key(ROUTE, MESSAGES, warmer),
                key(ROUTE, MESSAGES, json))).doesNotContain(base).doesNotHaveDuplicates();
    }

    @Test
    void passedThroughFieldsAndToolTurnsChangeTheKey() {
        com.fasterxml.jackson.databind.node.JsonNodeFactory f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        String base = key(ROUTE, MESSAGES, GenerationParameters.none());
        java.util.function.Function<com.fasterxml.jackson.databind.node.ObjectNode, GenerationParameters> with =
                passThrough -> new GenerationParameters(null, null, null, null, List.of(), null, null, null, false,
                        null, passThrough);
        com.fasterxml.jackson.databind.node.ObjectNode tools = f.objectNode();
        tools.putArray("tools").addObject().put("type", "function").putObject("function").put("name", "a");
        com.fasterxml.jackson.databind.node.ObjectNode otherTools = f.objectNode();
        otherTools.putArray("tools").addObject().put("type", "function").putObject("function").put("name", "b");
        com.fasterxml.jackson.databind.node.ArrayNode calls = f.arrayNode();
        calls.addObject().put("id", "call_1");

        assertThat(List.of(
                key(ROUTE, MESSAGES, with.apply(tools)),
                key(ROUTE, MESSAGES, with.apply(otherTools)),
                key(ROUTE, MESSAGES, with.apply(f.objectNode().put("n", 2))),
                key(ROUTE, MESSAGES, with.apply(f.objectNode().put("logprobs", true))),
                key(ROUTE, List.of(MESSAGES.get(0), new ProviderMessage(ProviderMessage.Role.ASSISTANT, null, null,
                        calls, null)), GenerationParameters.none()),
                key(ROUTE, List.of(MESSAGES.get(0), new ProviderMessage(ProviderMessage.Role.TOOL, "code", null, null,
                        "call_1")), GenerationParameters.none()))).doesNotContain(base).doesNotHaveDuplicates();
        assertThat(key(ROUTE, MESSAGES, with.apply(tools))).isEqualTo(key(ROUTE, MESSAGES, with.apply(tools.deepCopy())));
    }
}
