package dev.drep.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LedgerBufferTest {

    private static UsageRecord row(String job) {
        UsageRecord record = new UsageRecord();
        record.id = UUID.randomUUID();
        record.job = job;
        return record;
    }

    private static List<String> jobs(List<UsageRecord> rows) {
        return rows.stream().map(r -> r.job).toList();
    }

    @Test
    void batchesComeOutOldestFirstAndNoLargerThanAsked() {
        LedgerBuffer buffer = new LedgerBuffer(100);
        for (int i = 0; i < 5; i++) {
            assertThat(buffer.add(row("r" + i))).isTrue();
        }
        assertThat(jobs(buffer.take(2))).containsExactly("r0", "r1");
        assertThat(jobs(buffer.take(10))).containsExactly("r2", "r3", "r4");
        assertThat(buffer.take(10)).isEmpty();
    }

    @Test
    void aBatchThatCouldNotBeWrittenGoesBackBeforeTheRowsRecordedSince() {
        LedgerBuffer buffer = new LedgerBuffer(100);
        buffer.add(row("r0"));
        buffer.add(row("r1"));
        List<UsageRecord> failed = buffer.take(2);
        buffer.add(row("r2"));
        buffer.putBack(failed);
        assertThat(jobs(buffer.take(10))).containsExactly("r0", "r1", "r2");
    }

    @Test
    void aFullBufferRefusesRowsInsteadOfGrowingWithoutBound() {
        LedgerBuffer buffer = new LedgerBuffer(2);
        assertThat(buffer.add(row("r0"))).isTrue();
        assertThat(buffer.add(row("r1"))).isTrue();
        assertThat(buffer.add(row("r2"))).as("over max-buffered").isFalse();
        assertThat(jobs(buffer.take(10))).containsExactly("r0", "r1");
        assertThat(buffer.add(row("r3"))).as("room again once written").isTrue();
    }

    @Test
    void aCapacityBelowOneIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new LedgerBuffer(0)).hasMessageContaining("drep.gateway.ledger.max-buffered");
    }
}
