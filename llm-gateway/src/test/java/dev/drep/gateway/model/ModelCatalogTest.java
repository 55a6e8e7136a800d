package dev.drep.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drep.gateway.TestConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {

    private static ModelCatalog catalog(Map<String, String> properties) {
        return new ModelCatalog(TestConfig.of(properties));
    }

    @Test
    void aliasesOnSeveralProvidersWithFallbackChainsAndTaskClasses() {
        ModelCatalog catalog = catalog(Map.of(
                "drep.gateway.default-model", "llama3.2",
                "drep.gateway.models.fast", "qwen2.5-coder:1.5b",
                "drep.gateway.providers.openai.base-url", "https://api.openai.com/v1",
                "drep.gateway.aliases.smart.provider", "openai",
                "drep.gateway.aliases.smart.model", "gpt-4o",
                "drep.gateway.fallbacks.smart", "default, fast",
                "drep.gateway.task-classes.simple", "fast",
                "drep.gateway.task-classes.complex", "smart"));

        assertThat(catalog.chain("smart")).extracting(ModelRoute::alias).containsExactly("smart", "default", "fast");
        assertThat(catalog.chain("smart").get(0)).isEqualTo(new ModelRoute("smart", "openai", "gpt-4o", 4096));
        assertThat(catalog.chain("fast")).containsExactly(new ModelRoute("fast", "default", "qwen2.5-coder:1.5b", 4096));
        assertThat(catalog.chain("unknown")).isEmpty();
        assertThat(catalog.aliasFor("default", "complex")).isEqualTo("smart");
        assertThat(catalog.aliasFor("default", "simple")).isEqualTo("fast");
        assertThat(catalog.aliasFor("default", "other")).isEqualTo("default");
        assertThat(catalog.aliasFor("fast", "complex")).isEqualTo("fast");
        assertThat(catalog.aliasFor("default", null)).isEqualTo("default");
    }

    @Test
    void eachAliasKnowsItsModelsMostOutputTokens() {
        ModelCatalog catalog = catalog(Map.of(
                "drep.gateway.max-output-tokens", "2000",
                "drep.gateway.models.fast", "qwen2.5-coder:1.5b",
                "drep.gateway.aliases.long.model", "llama3.1:70b",
                "drep.gateway.aliases.long.max-output-tokens", "8192"));

        assertThat(catalog.resolve("default").orElseThrow().maxOutputTokens()).isEqualTo(2000);
        assertThat(catalog.resolve("fast").orElseThrow().maxOutputTokens()).isEqualTo(2000);
        assertThat(catalog.resolve("long").orElseThrow().maxOutputTokens()).isEqualTo(8192);
        assertThat(catalog(Map.of()).resolve("default").orElseThrow().maxOutputTokens()).isEqualTo(4096);
        assertThatThrownBy(() -> catalog(Map.of("drep.gateway.aliases.long.model", "x",
                "drep.gateway.aliases.long.max-output-tokens", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("drep.gateway.aliases.long.max-output-tokens");
        assertThatThrownBy(() -> catalog(Map.of("drep.gateway.max-output-tokens", "-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drep.gateway.max-output-tokens");
    }

    @Test
    void anAliasOnAnUnknownProviderStopsTheGateway() {
        assertThatThrownBy(() -> catalog(Map.of("drep.gateway.aliases.smart.provider", "nowhere",
                "drep.gateway.aliases.smart.model", "gpt-4o")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("drep.gateway.aliases.smart.provider").hasMessageContaining("'nowhere'");
    }

    @Test
    void aFallbackToAnUnknownAliasStopsTheGateway() {
        assertThatThrownBy(() -> catalog(Map.of("drep.gateway.fallbacks.default", "fast")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("drep.gateway.fallbacks.default").hasMessageContaining("'fast'");
        assertThatThrownBy(() -> catalog(Map.of("drep.gateway.fallbacks.ghost", "default")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drep.gateway.fallbacks.ghost");
    }

    @Test
    void aTaskClassForAnUnknownAliasStopsTheGateway() {
        assertThatThrownBy(() -> catalog(Map.of("drep.gateway.task-classes.simple", "fast")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("drep.gateway.task-classes.simple");
    }
}
