package dev.drep.scanner.dashboard;

import dev.drep.contracts.Stage;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's fixed colours. Every stage keeps its colour on every job page, so a reader learns them once:
 *
 * <table>
 * <caption>stage colours</caption>
 * <tr><td>QUEUE</td><td>{@code #4e79a7} blue</td></tr>
 * <tr><td>GIT</td><td>{@code #f28e2b} orange</td></tr>
 * <tr><td>PLANNING</td><td>{@code #76b7b2} teal</td></tr>
 * <tr><td>ANALYSIS</td><td>{@code #59a14f} green</td></tr>
 * <tr><td>LLM_WAIT</td><td>{@code #edc948} yellow</td></tr>
 * <tr><td>LLM_CALL</td><td>{@code #e15759} red</td></tr>
 * <tr><td>DATABASE</td><td>{@code #b07aa1} purple</td></tr>
 * <tr><td>PUBLISHING</td><td>{@code #ff9da7} pink</td></tr>
 * <tr><td>not accounted for</td><td>{@code #bab0ac} grey</td></tr>
 * </table>
 *
 * <p>The spend chart gives the repositories with the highest spend in its window the colours of
 * {@link #REPOSITORIES} in that order, and all others together {@link #OTHER_REPOSITORIES}. None of these
 * colours is used twice.
 */
public final class Colours {
    /** The colour of each stage. */
    public static final Map<Stage, String> STAGES;
    /** Wall time no service recorded a stage for. */
    public static final String UNACCOUNTED = "#bab0ac";
    /** Repository colours of the spend chart, for the highest spend first. */
    public static final List<String> REPOSITORIES = List.of("#1b7837", "#d95f02", "#7570b3", "#e7298a", "#8c510a",
            "#01665e");
    /** The spend of every repository beyond {@link #REPOSITORIES}' size. */
    public static final String OTHER_REPOSITORIES = "#525252";

    static {
        Map<Stage, String> stages = new EnumMap<>(Stage.class);
        stages.put(Stage.QUEUE, "#4e79a7");
        stages.put(Stage.GIT, "#f28e2b");
        stages.put(Stage.PLANNING, "#76b7b2");
        stages.put(Stage.ANALYSIS, "#59a14f");
        stages.put(Stage.LLM_WAIT, "#edc948");
        stages.put(Stage.LLM_CALL, "#e15759");
        stages.put(Stage.DATABASE, "#b07aa1");
        stages.put(Stage.PUBLISHING, "#ff9da7");
        STAGES = Collections.unmodifiableMap(stages);
    }

    private Colours() {
    }

    /** @return the fixed colour of {@code stage} */
    public static String of(Stage stage) {
        return STAGES.get(stage);
    }
}
