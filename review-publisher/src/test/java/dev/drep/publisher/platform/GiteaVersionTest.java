package dev.drep.publisher.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.publisher.platform.gitea.GiteaPlatform;
import org.junit.jupiter.api.Test;

class GiteaVersionTest {

    @Test
    void giteaFrom112OnTakesNewPositionAndOlderOnesPosition() {
        assertThat(GiteaPlatform.fieldFor("1.21.4")).isEqualTo("new_position");
        assertThat(GiteaPlatform.fieldFor("1.12.0+dev-12-gabcdef")).isEqualTo("new_position");
        assertThat(GiteaPlatform.fieldFor("1.11.8")).isEqualTo("position");
        assertThat(GiteaPlatform.fieldFor("7.0.5+gitea-1.21.11")).isEqualTo("new_position");
        assertThat(GiteaPlatform.fieldFor("")).isEqualTo("new_position");
    }
}
