package dev.drep.gateway.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.gateway.TestConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    private final PriceTable prices = new PriceTable(TestConfig.of(Map.of(
            "drep.gateway.prices.gpt-4o-mini.input-per-million", "0.15",
            "drep.gateway.prices.gpt-4o-mini.output-per-million", "0.60",
            "drep.gateway.prices.\"qwen2.5:7b\".input-per-million", "0.02")).prices());

    @Test
    void costsArePerMillionTokensToTheNanoDollar() {
        assertThat(prices.cost("gpt-4o-mini", 1_000_000, 0)).isEqualByComparingTo("0.15");
        assertThat(prices.cost("gpt-4o-mini", 1000, 500)).isEqualByComparingTo("0.00045");
        assertThat(prices.cost("gpt-4o-mini", 1, 0)).isEqualByComparingTo("0.00000015");
        assertThat(prices.cost("qwen2.5:7b", 1_000_000, 1_000_000)).isEqualByComparingTo("0.02");
    }

    @Test
    void anUnlistedModelCostsNothing() {
        assertThat(prices.cost("llama3.2", 5_000_000, 5_000_000)).isZero();
        assertThat(prices.cost(null, 1, 1)).isZero();
    }
}
