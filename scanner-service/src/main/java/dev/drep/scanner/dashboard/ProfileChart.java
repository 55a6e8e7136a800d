package dev.drep.scanner.dashboard;

import dev.drep.contracts.JobProfile;
import dev.drep.contracts.StageTime;
import dev.drep.contracts.UnitUsage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's profile as a horizontal bar chart: one row per stage, in pipeline order, whose bar is the stage's
 * share of the job's wall time (a full bar is the whole wall time), then a row for the time no service accounted
 * for. Coordinates are whole pixels so the bars have crisp edges.
 *
 * @param wall        the job's wall time
 * @param rows        one per stage, then "not accounted for"
 * @param width       the SVG's width
 * @param height      the SVG's height
 * @param llmCalls    LLM calls, cache hits included
 * @param cacheHits   calls answered from a cache
 * @param promptTokens prompt tokens
 * @param completionTokens completion tokens
 * @param cost        LLM cost with four decimals
 */
public record ProfileChart(String wall, List<Row> rows, int width, int height, String llmCalls, String cacheHits,
        String promptTokens, String completionTokens, String cost) {
    /** x of the bars' left edge; the stage labels are left of it */
    public static final int BAR_X = 190;
    /** the width of a bar of the whole wall time */
    public static final int BAR_WIDTH = 560;
    /** the height of each bar */
    public static final int BAR_HEIGHT = 18;
    static final int ROW_HEIGHT = 26;
    static final int TOP = 8;

    /**
     * One bar.
     *
     * @param label    the stage's label, e.g. {@code inside the LLM call}
     * @param colour   its fixed colour ({@link Colours})
     * @param y        the bar's top
     * @param textY    the baseline of the row's texts
     * @param barWidth the bar's width in pixels
     * @param textX    where the share is written, right of the bar
     * @param share    the share of the wall time, e.g. {@code 37.5 %}
     * @param wall     the wall time attributed to the stage
     * @param busy     the time spent in the stage summed over parallel lines of work
     */
    public record Row(String label, String colour, int y, int textY, int barWidth, int textX, String share, String wall,
            String busy) {
    }

    /** @return x of the bars' left edge */
    public int barX() {
        return BAR_X;
    }

    /** @return where the stage labels end, left of the bars */
    public int labelX() {
        return BAR_X - 8;
    }

    /** @return the height of each bar */
    public int barHeight() {
        return BAR_HEIGHT;
    }

    /** @return the chart of {@code profile} */
    public static ProfileChart of(JobProfile profile) {
        List<Row> rows = new ArrayList<>();
        for (StageTime time : profile.stages()) {
            rows.add(row(rows.size(), time.stage().label(), Colours.of(time.stage()), time.share(),
                    time.wallMillis(), Formats.duration(time.busyMillis())));
        }
        double unaccounted = profile.wallMillis() == 0 ? 0 : (double) profile.unaccountedMillis() / profile.wallMillis();
        rows.add(row(rows.size(), "not accounted for", Colours.UNACCOUNTED, unaccounted, profile.unaccountedMillis(), ""));
        UnitUsage usage = profile.usage();
        return new ProfileChart(Formats.duration(profile.wallMillis()), rows, BAR_X + BAR_WIDTH + 90,
                TOP + rows.size() * ROW_HEIGHT, Formats.count(usage.llmCalls()), Formats.count(usage.cacheHits()),
                Formats.count(usage.promptTokens()), Formats.count(usage.completionTokens()),
                Formats.cost(BigDecimal.valueOf(usage.cost())));
    }

    private static Row row(int index, String label, String colour, double share, long wallMillis, String busy) {
        double clamped = Math.max(0, Math.min(1, share));
        int barWidth = (int) Math.round(clamped * BAR_WIDTH);
        int y = TOP + index * ROW_HEIGHT;
        return new Row(label, colour, y, y + BAR_HEIGHT - 4, barWidth, BAR_X + barWidth + 6, Formats.percent(clamped),
                Formats.duration(wallMillis), busy);
    }
}
