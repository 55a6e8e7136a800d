package dev.drep.core.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.LineRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPackerTest {

    private static PromptItem item(String path, int tokens) {
        return new PromptItem(path, "x", tokens, List.of(new LineRange(1, 1)), new LineRange(1, 1));
    }

    @Test
    void smallItemsShareARequestUpToTheBudget() {
        List<Batch> batches = BatchPacker.pack(List.of(item("a", 400), item("b", 300), item("c", 500), item("d", 200)),
                1_000, 10);
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0).paths()).containsExactly("a", "b", "d");
        assertThat(batches.get(1).paths()).containsExactly("c");
        assertThat(batches.get(0).tokens()).isEqualTo(900);
    }

    @Test
    void anItemOverTheBudgetGetsARequestOfItsOwnAndItemCountsAreCapped() {
        List<Batch> batches = BatchPacker.pack(List.of(item("big", 5_000), item("a", 1), item("b", 1), item("c", 1)),
                1_000, 2);
        assertThat(batches).extracting(b -> List.copyOf(b.paths()))
                .containsExactly(List.of("big"), List.of("a", "b"), List.of("c"));
    }
}
