package dev.drep.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnitResultTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aResultSentBeforeDroppedFindingsExistedReadsAsNoneDropped() throws Exception {
        UnitResult old = mapper.readValue("""
                {"unitId":"u","jobId":"j","analyzer":"llm-review","findings":[],"notAnalyzed":[],"durationMillis":5}
                """, UnitResult.class);
        assertThat(old.droppedFindings()).isEmpty();
    }

    @Test
    void droppedFindingsTravelWithTheResultAndSurviveWithStages() throws Exception {
        UnitResult result = new UnitResult("u", "j", "llm-review", List.of(), List.of(), 5, List.of(), null, List.of(),
                Map.of("quote_not_found", 2));
        UnitResult read = mapper.readValue(mapper.writeValueAsString(result), UnitResult.class);
        assertThat(read.droppedFindings()).containsExactly(Map.entry("quote_not_found", 2));
        assertThat(read.withStages(List.of()).droppedFindings()).containsExactly(Map.entry("quote_not_found", 2));
    }
}
