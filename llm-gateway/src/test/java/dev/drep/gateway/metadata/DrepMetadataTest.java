package dev.drep.gateway.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drep.gateway.error.GatewayException;
import org.junit.jupiter.api.Test;

class DrepMetadataTest {

    @Test
    void absentHeadersGiveBatchAndNulls() {
        assertThat(DrepMetadata.fromHeaders(null, " ", null, ""))
                .isEqualTo(new DrepMetadata(null, null, Priority.BATCH, null));
    }

    @Test
    void headersAreRead() {
        assertThat(DrepMetadata.fromHeaders("acme/app", "j1", "Interactive ", "simple"))
                .isEqualTo(new DrepMetadata("acme/app", "j1", Priority.INTERACTIVE, "simple"));
        assertThat(DrepMetadata.fromHeaders(null, null, "batch", null).priority()).isEqualTo(Priority.BATCH);
    }

    @Test
    void anyOtherPriorityIsABadRequest() {
        assertThatThrownBy(() -> DrepMetadata.fromHeaders(null, null, "high", null))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.toError().error().param()).isEqualTo("X-Drep-Priority");
                });
    }
}
