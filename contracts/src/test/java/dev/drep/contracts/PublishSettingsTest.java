package dev.drep.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PublishSettingsTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void settingsFromAnOlderScannerWithoutTheCapPerFileGetTheDefault() throws Exception {
        PublishSettings old = mapper.readValue("{\"minimumSeverity\":\"WARNING\",\"maxInlineComments\":20,"
                + "\"failOn\":\"ERROR\",\"onIncomplete\":\"NEUTRAL\"}", PublishSettings.class);

        assertThat(old).isEqualTo(new PublishSettings(Severity.WARNING, 20, Severity.ERROR, OnIncomplete.NEUTRAL, 10));
    }

    @Test
    void theCapPerFileTravelsInTheMessage() throws Exception {
        PublishSettings settings = new PublishSettings(Severity.INFO, 50, Severity.ERROR, OnIncomplete.FAILURE, 3);

        assertThat(mapper.readValue(mapper.writeValueAsString(settings), PublishSettings.class)).isEqualTo(settings);
    }
}
