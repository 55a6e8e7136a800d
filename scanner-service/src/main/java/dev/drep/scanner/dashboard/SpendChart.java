package dev.drep.scanner.dashboard;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LLM spend over time as stacked bars: one bar per day of the window, one segment per repository, the
 * repository with the highest spend in the window at the bottom. The repositories beyond the palette's size are
 * one segment, "other repositories". Coordinates are whole pixels; each segment has a tooltip with its numbers.
 *
 * @param from      the window's first day
 * @param to        the window's last day
 * @param hasSpend  whether any job in the window cost anything
 * @param width     the SVG's width
 * @param height    the SVG's height
 * @param plotLeft  x of the y axis
 * @param plotRight x of the plot's right edge
 * @param plotBottom y of the x axis
 * @param segments  the bars' segments
 * @param ticks     the y axis' ticks
 * @param labels    the x axis' day labels
 * @param series    one per colour, highest spend first: the legend and the totals
 * @param total     all repositories together
 * @param daily     the numbers per day and repository, newest day first
 */
public record SpendChart(String from, String to, boolean hasSpend, int width, int height, int plotLeft, int plotRight,
        int plotBottom, List<Segment> segments, List<Tick> ticks, List<DayLabel> labels, List<Series> series,
        Series total, List<Series> daily) {
    static final int WIDTH = 900;
    static final int PLOT_LEFT = 80;
    static final int PLOT_RIGHT = 890;
    static final int PLOT_TOP = 12;
    static final int PLOT_BOTTOM = 192;
    static final int HEIGHT = 214;
    private static final DateTimeFormatter DAY_LABEL = DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT);

    /** @return where the y axis' labels end */
    public int tickLabelX() {
        return plotLeft - 6;
    }

    /** @return the baseline of the day labels */
    public int dayLabelY() {
        return plotBottom + 16;
    }

    /**
     * A stacked segment of a day's bar.
     *
     * @param title the tooltip: day, repository and cost
     */
    public record Segment(int x, int y, int width, int height, String colour, String title) {
    }

    /** A y axis tick: a grid line at {@code y} and a cost label. */
    public record Tick(int y, int textY, String label) {
    }

    /** A day's label under its bar. */
    public record DayLabel(int x, String label) {
    }

    /**
     * A repository's (or several repositories') LLM use in the window.
     *
     * @param name   the repository, or e.g. {@code 3 other repositories}; for the per-day table the day and
     *               repository
     * @param day    the day (per-day rows only), else empty
     * @param colour its colour in the chart, or empty
     */
    public record Series(String name, String day, String colour, long jobs, String llmCalls, String promptTokens,
            String completionTokens, String cost) {
    }

    /**
     * @param spend the window's spend by day and repository
     * @param from  the window's first day
     * @param days  the window's length in days
     * @return the chart
     */
    public static SpendChart of(List<DailySpend> spend, LocalDate from, int days) {
        LocalDate to = from.plusDays(days - 1L);
        // rank repositories by their spend in the window (then by tokens, then by name, so the colours are stable)
        Map<String, Totals> byRepository = new HashMap<>();
        Totals all = new Totals();
        for (DailySpend s : spend) {
            byRepository.computeIfAbsent(s.repository(), r -> new Totals()).add(s);
            all.add(s);
        }
        List<String> ranked = new ArrayList<>(byRepository.keySet());
        ranked.sort(Comparator.<String, BigDecimal>comparing(r -> byRepository.get(r).cost).reversed()
                .thenComparing(Comparator.<String>comparingLong(r -> byRepository.get(r).tokens()).reversed())
                .thenComparing(Comparator.naturalOrder()));
        int coloured = ranked.size() <= Colours.REPOSITORIES.size() ? ranked.size() : Colours.REPOSITORIES.size() - 1;
        Map<String, Integer> seriesOf = new HashMap<>();
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < coloured; i++) {
            String repository = ranked.get(i);
            seriesOf.put(repository, i);
            series.add(byRepository.get(repository).series(repository, "", Colours.REPOSITORIES.get(i)));
        }
        if (ranked.size() > coloured) {
            Totals others = new Totals();
            for (String repository : ranked.subList(coloured, ranked.size())) {
                seriesOf.put(repository, coloured);
                others.add(byRepository.get(repository));
            }
            series.add(others.series((ranked.size() - coloured) + " other repositories", "", Colours.OTHER_REPOSITORIES));
        }

        // cost per day and series
        Map<LocalDate, BigDecimal[]> perDay = new LinkedHashMap<>();
        BigDecimal max = BigDecimal.ZERO;
        for (DailySpend s : spend) {
            if (s.day().isBefore(from) || s.day().isAfter(to)) {
                continue;
            }
            BigDecimal[] costs = perDay.computeIfAbsent(s.day(), d -> zeros(series.size()));
            int index = seriesOf.get(s.repository());
            costs[index] = costs[index].add(s.cost());
        }
        for (BigDecimal[] costs : perDay.values()) {
            max = max.max(sum(costs));
        }

        int slot = (PLOT_RIGHT - PLOT_LEFT) / days;
        int barWidth = Math.max(2, slot - 6);
        int plotHeight = PLOT_BOTTOM - PLOT_TOP;
        List<Segment> segments = new ArrayList<>();
        List<DayLabel> labels = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            LocalDate day = from.plusDays(d);
            int x = PLOT_LEFT + d * slot + (slot - barWidth) / 2;
            if (d % 5 == 0 || d == days - 1) {
                labels.add(new DayLabel(x + barWidth / 2, DAY_LABEL.format(day)));
            }
            BigDecimal[] costs = perDay.get(day);
            if (costs == null || max.signum() == 0) {
                continue;
            }
            BigDecimal cumulative = BigDecimal.ZERO;
            int previousTop = PLOT_BOTTOM;
            for (int i = 0; i < costs.length; i++) {
                if (costs[i].signum() == 0) {
                    continue;
                }
                cumulative = cumulative.add(costs[i]);
                int top = PLOT_BOTTOM - pixels(cumulative, max, plotHeight);
                if (top < previousTop) {
                    segments.add(new Segment(x, top, barWidth, previousTop - top, series.get(i).colour(),
                            day + " " + series.get(i).name() + ": " + Formats.cost(costs[i])));
                    previousTop = top;
                }
            }
        }
        List<Tick> ticks = new ArrayList<>();
        if (max.signum() > 0) {
            for (int i = 0; i <= 2; i++) {
                BigDecimal value = max.multiply(BigDecimal.valueOf(i)).divide(BigDecimal.valueOf(2), MathContext.DECIMAL64);
                int y = PLOT_BOTTOM - pixels(value, max, plotHeight);
                ticks.add(new Tick(y, y + 4, Formats.cost(value)));
            }
        }
        List<Series> daily = spend.stream()
                .sorted(Comparator.comparing(DailySpend::day).reversed().thenComparing(DailySpend::repository))
                .map(s -> new Totals().add(s).series(s.repository(), s.day().toString(), ""))
                .toList();
        return new SpendChart(from.toString(), to.toString(), max.signum() > 0, WIDTH, HEIGHT, PLOT_LEFT, PLOT_RIGHT,
                PLOT_BOTTOM, segments, ticks, labels, series, all.series("all repositories", "", ""), daily);
    }

    private static int pixels(BigDecimal value, BigDecimal max, int plotHeight) {
        return value.multiply(BigDecimal.valueOf(plotHeight)).divide(max, MathContext.DECIMAL64)
                .setScale(0, RoundingMode.HALF_UP).intValue();
    }

    private static BigDecimal[] zeros(int size) {
        BigDecimal[] values = new BigDecimal[size];
        Arrays.fill(values, BigDecimal.ZERO);
        return values;
    }

    private static BigDecimal sum(BigDecimal[] values) {
        BigDecimal total = BigDecimal.ZERO;
        for (BigDecimal value : values) {
            total = total.add(value);
        }
        return total;
    }

    /** Sums of LLM use. */
    private static final class Totals {
        long jobs;
        long calls;
        long prompt;
        long completion;
        BigDecimal cost = BigDecimal.ZERO;

        Totals add(DailySpend s) {
            jobs += s.jobs();
            calls += s.llmCalls();
            prompt += s.promptTokens();
            completion += s.completionTokens();
            cost = cost.add(s.cost());
            return this;
        }

        void add(Totals t) {
            jobs += t.jobs;
            calls += t.calls;
            prompt += t.prompt;
            completion += t.completion;
            cost = cost.add(t.cost);
        }

        long tokens() {
            return prompt + completion;
        }

        Series series(String name, String day, String colour) {
            return new Series(name, day, colour, jobs, Formats.count(calls), Formats.count(prompt),
                    Formats.count(completion), Formats.cost(cost));
        }
    }
}
