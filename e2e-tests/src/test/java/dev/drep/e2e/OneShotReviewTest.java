package dev.drep.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.Review;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: {@code drep review PATH} with no stack running starts embedded
 * PostgreSQL, Artemis and the four services, reviews, and stops everything again.
 */
class OneShotReviewTest {

    @TempDir
    Path work;

    @Test
    void aReviewWithoutARunningStackStartsAndStopsItsOwn() throws Exception {
        Path repository = work.resolve("sample");
        SampleRepository.create(repository);
        Drep drep = new Drep(work.resolve("data"));

        Drep.Run run = drep.run(work, "review", repository.toString());

        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isZero();
        Path reviewJson = work.resolve("drep-review").resolve("review.json");
        assertThat(reviewJson).as("the default output folder is ./drep-review").exists();
        assertThat(new ObjectMapper().findAndRegisterModules().readValue(reviewJson.toFile(), Review.class).findings())
                .hasSize(7);
        assertThat(Files.exists(work.resolve("data").resolve("stack.json"))).as("no stack left running").isFalse();
    }
}
