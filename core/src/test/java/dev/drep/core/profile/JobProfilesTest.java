package dev.drep.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.JobProfile;
import dev.drep.contracts.Stage;
import dev.drep.contracts.StageSpan;
import dev.drep.contracts.StageTime;
import dev.drep.contracts.UnitUsage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobProfilesTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    private static StageSpan span(Stage stage, String source, long from, long to) {
        return new StageSpan(stage, source, at(from), at(to));
    }

    private static StageTime line(JobProfile profile, Stage stage) {
        return profile.stages().stream().filter(t -> t.stage() == stage).findFirst().orElseThrow();
    }

    @Test
    void sequentialStagesAddUpToTheWallTime() {
        JobProfile profile = JobProfiles.profile(at(0), at(1_000), List.of(
                span(Stage.QUEUE, "scanner", 0, 100),
                span(Stage.GIT, "scanner", 100, 300),
                span(Stage.ANALYSIS, "u1", 300, 400),
                span(Stage.LLM_CALL, "u1", 400, 900),
                span(Stage.PUBLISHING, "publisher", 900, 1_000)), UnitUsage.NONE);

        assertThat(profile.wallMillis()).isEqualTo(1_000);
        assertThat(profile.unaccountedMillis()).isZero();
        assertThat(line(profile, Stage.LLM_CALL).wallMillis()).isEqualTo(500);
        assertThat(line(profile, Stage.LLM_CALL).share()).isEqualTo(0.5);
        assertThat(profile.stages().stream().mapToLong(StageTime::wallMillis).sum()).isEqualTo(1_000);
        assertThat(JobProfiles.bottleneck(profile)).isEqualTo(Stage.LLM_CALL);
    }

    @Test
    void parallelUnitsCountOnceInWallTimeAndFullyInBusyTime() {
        // two units in LLM calls at the same time, a third one queued meanwhile
        JobProfile profile = JobProfiles.profile(at(0), at(1_000), List.of(
                span(Stage.LLM_CALL, "u1", 0, 1_000),
                span(Stage.LLM_CALL, "u2", 0, 1_000),
                span(Stage.QUEUE, "u3", 0, 600),
                span(Stage.ANALYSIS, "u3", 600, 1_000)), UnitUsage.NONE);

        assertThat(line(profile, Stage.LLM_CALL).wallMillis()).isEqualTo(1_000);
        assertThat(line(profile, Stage.LLM_CALL).busyMillis()).isEqualTo(2_000);
        assertThat(line(profile, Stage.QUEUE).wallMillis()).isZero();
        assertThat(line(profile, Stage.QUEUE).busyMillis()).isEqualTo(600);
        assertThat(line(profile, Stage.ANALYSIS).busyMillis()).isEqualTo(400);
    }

    @Test
    void insideOneUnitTheLlmCallIsNotAlsoCountedAsAnalysis() {
        JobProfile profile = JobProfiles.profile(at(0), at(1_000), List.of(
                span(Stage.ANALYSIS, "u1", 0, 1_000),
                span(Stage.LLM_WAIT, "u1", 200, 300),
                span(Stage.LLM_CALL, "u1", 300, 800)), UnitUsage.NONE);

        assertThat(line(profile, Stage.ANALYSIS).busyMillis()).isEqualTo(400);
        assertThat(line(profile, Stage.LLM_WAIT).busyMillis()).isEqualTo(100);
        assertThat(line(profile, Stage.LLM_CALL).busyMillis()).isEqualTo(500);
    }

    @Test
    void gapsAreReportedAsUnaccountedAndSpansAreClippedToTheJob() {
        JobProfile profile = JobProfiles.profile(at(0), at(1_000), List.of(
                span(Stage.QUEUE, "scanner", -500, 200),
                span(Stage.PUBLISHING, "publisher", 900, 1_500)), new UnitUsage(3, 1, 100, 20, 0.5));

        assertThat(line(profile, Stage.QUEUE).wallMillis()).isEqualTo(200);
        assertThat(line(profile, Stage.PUBLISHING).wallMillis()).isEqualTo(100);
        assertThat(profile.unaccountedMillis()).isEqualTo(700);
        assertThat(profile.usage().llmCalls()).isEqualTo(3);
    }

    @Test
    void aJobWithNoSpansIsAllUnaccounted() {
        JobProfile profile = JobProfiles.profile(at(0), at(250), List.of(), UnitUsage.NONE);

        assertThat(profile.unaccountedMillis()).isEqualTo(250);
        assertThat(profile.stages()).hasSize(Stage.values().length).allMatch(t -> t.wallMillis() == 0);
        assertThat(JobProfiles.bottleneck(profile)).isNull();
    }

    @Test
    void timelineRecordsSpansOfItsSource() {
        StageTimeline timeline = StageTimeline.of("u7");
        String value = timeline.time(Stage.ANALYSIS, () -> "parsed");
        timeline.record(Stage.LLM_CALL, at(0), at(5));

        assertThat(value).isEqualTo("parsed");
        assertThat(timeline.spans()).extracting(StageSpan::stage).containsExactly(Stage.ANALYSIS, Stage.LLM_CALL);
        assertThat(timeline.spans()).allMatch(s -> s.source().equals("u7"));
        assertThat(timeline.spans().get(1).micros()).isEqualTo(5_000);
    }
}
