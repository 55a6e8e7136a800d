package dev.drep.launcher.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.JobProfile;
import dev.drep.contracts.Stage;
import dev.drep.contracts.StageTime;
import dev.drep.contracts.UnitUsage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileTableTest {

    private static String print(JobProfile profile) {
        StringWriter text = new StringWriter();
        ProfileTable.print(new PrintWriter(text), "job-1", profile);
        return text.toString();
    }

    @Test
    void stagesAreListedLargestShareFirstWithTheirShareOfTheWallTimeAndTheLlmUse() {
        List<StageTime> stages = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            long wall = switch (stage) {
                case LLM_CALL -> 6_000;
                case QUEUE -> 1_000;
                case GIT -> 2_500;
                default -> 0;
            };
            stages.add(new StageTime(stage, wall, wall / 10_000.0, stage == Stage.LLM_CALL ? 18_000 : wall));
        }
        String table = print(new JobProfile(10_000, stages, 500, new UnitUsage(7, 2, 12_345, 678, 0.0421)));

        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).isEqualTo("Profile of job job-1: 10.000 s wall time");
        assertThat(lines.get(2)).startsWith("inside the LLM call").contains("6.000 s", "60.0%", "18.000 s")
                .contains("#".repeat(12));
        assertThat(lines.get(3)).startsWith("git fetch and diff").contains("25.0%");
        assertThat(lines.get(4)).startsWith("waiting in a queue").contains("10.0%");
        assertThat(table).contains("not accounted for").contains("0.500 s").contains("5.0%");
        assertThat(table).contains("LLM: 7 calls (2 from cache), 12,345 prompt + 678 completion tokens, cost 0.0421");
    }

    @Test
    void aJobWithoutAProfileSaysSo() {
        assertThat(print(null)).contains("No profile was reported for job job-1");
    }
}
