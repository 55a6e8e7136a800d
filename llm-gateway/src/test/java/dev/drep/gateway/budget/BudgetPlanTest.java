package dev.drep.gateway.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.gateway.TestConfig;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetPlanTest {

    private static final Instant NOW = Instant.parse("2026-03-31T23:59:30Z");

    private static BudgetPlan plan(Map<String, String> properties) {
        return new BudgetPlan(TestConfig.of(properties).budgets());
    }

    @Test
    void withoutAnyBudgetThePlanIsEmpty() {
        BudgetPlan plan = plan(Map.of());

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.linesFor("acme/app", NOW)).isEmpty();
    }

    @Test
    void globalAndRepositoryBudgetsPerDayAndMonthInUtc() {
        BudgetPlan plan = plan(Map.of(
                "drep.gateway.budgets.global.tokens-per-day", "1000000",
                "drep.gateway.budgets.global.cost-per-month", "50",
                "drep.gateway.budgets.per-repository.tokens-per-day", "100000"));

        List<BudgetPlan.Line> lines = plan.linesFor("acme/app", NOW);

        assertThat(lines).extracting(BudgetPlan.Line::scope, l -> l.period().key())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("global", "day"),
                        org.assertj.core.groups.Tuple.tuple("global", "month"),
                        org.assertj.core.groups.Tuple.tuple("repository:acme/app", "day"));
        BudgetPlan.Line day = lines.get(0);
        assertThat(day.periodStart()).isEqualTo(LocalDate.of(2026, 3, 31));
        assertThat(day.resetsAt()).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(day.tokenLimit()).hasValue(1_000_000);
        assertThat(day.costLimit()).isEmpty();
        BudgetPlan.Line month = lines.get(1);
        assertThat(month.periodStart()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(month.resetsAt()).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(month.costLimit()).hasValue(new BigDecimal("50"));
        assertThat(lines.get(2).repository()).isEqualTo("acme/app");
    }

    @Test
    void aRepositoryOverrideReplacesOnlyWhatItSets() {
        BudgetPlan plan = plan(Map.of(
                "drep.gateway.budgets.per-repository.tokens-per-day", "100000",
                "drep.gateway.budgets.per-repository.tokens-per-month", "2000000",
                "drep.gateway.budgets.repositories.\"acme/big\".tokens-per-day", "900000"));

        List<BudgetPlan.Line> big = plan.linesFor("acme/big", NOW);
        List<BudgetPlan.Line> other = plan.linesFor("acme/other", NOW);

        assertThat(big).extracting(l -> l.tokenLimit().getAsLong()).containsExactly(900_000L, 2_000_000L);
        assertThat(other).extracting(l -> l.tokenLimit().getAsLong()).containsExactly(100_000L, 2_000_000L);
    }

    @Test
    void requestsWithoutRepositoryShareOneBucket() {
        BudgetPlan plan = plan(Map.of("drep.gateway.budgets.per-repository.tokens-per-day", "10"));

        assertThat(plan.linesFor(null, NOW)).singleElement()
                .satisfies(l -> assertThat(l.scope()).isEqualTo("repository:(none)"));
        assertThat(plan.linesFor(" ", NOW)).singleElement()
                .satisfies(l -> assertThat(l.scope()).isEqualTo("repository:(none)"));
    }

    @Test
    void aRepositoryOnlyBudgetLeavesOthersUnlimited() {
        BudgetPlan plan = plan(Map.of("drep.gateway.budgets.repositories.\"acme/app\".cost-per-day", "1.5"));

        assertThat(plan.isEmpty()).isFalse();
        assertThat(plan.linesFor("acme/app", NOW)).hasSize(1);
        assertThat(plan.linesFor("acme/other", NOW)).isEmpty();
    }

    @Test
    void aKeysBudgetsCountBesidesTheGlobalAndTheRepositorysEvenWhenNoneIsConfigured() {
        BudgetPlan plan = plan(Map.of("drep.gateway.budgets.global.tokens-per-day", "1000000"));
        BudgetPlan.KeyAllowance key = new BudgetPlan.KeyAllowance("6d1f0b0e-0000-4000-8000-000000000001", "team-a",
                java.util.OptionalLong.empty(), java.util.OptionalLong.of(5000), java.util.Optional.of(
                        new BigDecimal("2.50")), java.util.Optional.empty(), 0, 0);

        List<BudgetPlan.Line> lines = plan.linesFor("acme/app", key, NOW);

        assertThat(lines).extracting(BudgetPlan.Line::scope, l -> l.period().key())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("global", "day"),
                        org.assertj.core.groups.Tuple.tuple("key:6d1f0b0e-0000-4000-8000-000000000001", "day"),
                        org.assertj.core.groups.Tuple.tuple("key:6d1f0b0e-0000-4000-8000-000000000001", "month"));
        assertThat(lines.get(1).costLimit()).hasValue(new BigDecimal("2.50"));
        assertThat(lines.get(1).tokenLimit()).isEmpty();
        assertThat(lines.get(2).tokenLimit()).hasValue(5000);
        assertThat(lines.get(2).key().name()).isEqualTo("team-a");
        assertThat(lines.get(2).repository()).isNull();
        assertThat(plan(Map.of()).linesFor("acme/app", key, NOW)).hasSize(2);
        assertThat(plan(Map.of()).linesFor("acme/app", null, NOW)).isEmpty();
    }
}
