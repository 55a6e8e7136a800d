package dev.drep.core.profile;

import dev.drep.contracts.JobProfile;
import dev.drep.contracts.Stage;
import dev.drep.contracts.StageSpan;
import dev.drep.contracts.StageTime;
import dev.drep.contracts.UnitUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a job's stage spans into its profile.
 *
 * <p>Units run in parallel, so the spans of a job overlap, and simply adding them up says nothing about the
 * wall time. The profile therefore gives each instant of the job's wall time to one stage: among the stages
 * active at that instant, the one first in {@link #PRECEDENCE} — the stage doing the most expensive work.
 * An instant when some unit was inside an LLM call counts as LLM time even if other units were still queued;
 * an instant when everything was queued counts as queue time. The wall shares then add up to the wall time,
 * less what no service recorded ({@link JobProfile#unaccountedMillis()}). The same attribution inside each
 * source (a unit, the scanner, the publisher) gives the busy time, summed over sources.
 */
public final class JobProfiles {
    /** Which stage an instant goes to when several are active: first wins. */
    public static final List<Stage> PRECEDENCE = List.of(Stage.LLM_CALL, Stage.LLM_WAIT, Stage.PUBLISHING, Stage.GIT,
            Stage.DATABASE, Stage.ANALYSIS, Stage.PLANNING, Stage.QUEUE);

    private static final int[] RANK = new int[Stage.values().length];

    static {
        for (int i = 0; i < PRECEDENCE.size(); i++) {
            RANK[PRECEDENCE.get(i).ordinal()] = i;
        }
    }

    private JobProfiles() {
    }

    /**
     * @param start when the job was accepted
     * @param end   when it ended, or now for a running job
     * @param spans every stage span recorded for the job
     * @param usage its LLM use
     * @return the profile; spans outside {@code [start, end]} are clipped to it
     */
    public static JobProfile profile(Instant start, Instant end, List<StageSpan> spans, UnitUsage usage) {
        long from = micros(start);
        long to = Math.max(from, micros(end));
        long[] wall = attribute(spans, from, to);
        long[] busy = new long[Stage.values().length];
        Map<String, List<StageSpan>> bySource = new HashMap<>();
        for (StageSpan span : spans) {
            bySource.computeIfAbsent(span.source() == null ? "" : span.source(), k -> new ArrayList<>()).add(span);
        }
        for (List<StageSpan> sourceSpans : bySource.values()) {
            long[] own = attribute(sourceSpans, from, to);
            for (int i = 0; i < busy.length; i++) {
                busy[i] += own[i];
            }
        }
        long wallMicros = to - from;
        long accounted = Arrays.stream(wall).sum();
        List<StageTime> stages = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            long w = wall[stage.ordinal()];
            stages.add(new StageTime(stage, w / 1_000, wallMicros == 0 ? 0 : (double) w / wallMicros,
                    busy[stage.ordinal()] / 1_000));
        }
        return new JobProfile(wallMicros / 1_000, stages, (wallMicros - accounted) / 1_000, usage);
    }

    /** Exclusive attribution of {@code [from, to]} by a sweep over the spans' boundaries; microseconds per stage. */
    private static long[] attribute(List<StageSpan> spans, long from, long to) {
        long[] result = new long[Stage.values().length];
        List<long[]> events = new ArrayList<>(spans.size() * 2); // {time, +1/-1, stage ordinal}
        for (StageSpan span : spans) {
            long s = Math.max(from, micros(span.start()));
            long e = Math.min(to, micros(span.end()));
            if (e > s) {
                events.add(new long[] {s, 1, span.stage().ordinal()});
                events.add(new long[] {e, -1, span.stage().ordinal()});
            }
        }
        events.sort(Comparator.comparingLong(a -> a[0]));
        int[] active = new int[Stage.values().length];
        long previous = from;
        for (long[] event : events) {
            if (event[0] > previous) {
                Stage top = top(active);
                if (top != null) {
                    result[top.ordinal()] += event[0] - previous;
                }
                previous = event[0];
            }
            active[(int) event[2]] += (int) event[1];
        }
        return result;
    }

    private static Stage top(int[] active) {
        Stage best = null;
        for (Stage stage : Stage.values()) {
            if (active[stage.ordinal()] > 0 && (best == null || RANK[stage.ordinal()] < RANK[best.ordinal()])) {
                best = stage;
            }
        }
        return best;
    }

    private static long micros(Instant instant) {
        return Duration.between(Instant.EPOCH, instant).toNanos() / 1_000;
    }

    /** @return the stage with the largest wall share, or null when nothing was recorded */
    public static Stage bottleneck(JobProfile profile) {
        Map<Stage, Long> wall = new EnumMap<>(Stage.class);
        profile.stages().forEach(t -> wall.put(t.stage(), t.wallMillis()));
        return wall.entrySet().stream().filter(e -> e.getValue() > 0).max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey).orElse(null);
    }
}
