package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * How drep's inline findings on pull requests were received, per rule and model (docs/architecture.md, "Learning from
 * feedback"): kept by the review-publisher, shown by the scanner at {@code GET /api/acceptance},
 * {@code GET /api/repositories/{id}/acceptance} and on the dashboard.
 *
 * @param rows one per rule and model, by rule then model
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FindingAcceptance(List<Row> rows) {
    public FindingAcceptance {
        rows = rows == null ? List.of() : List.copyOf(rows);
    }

    /**
     * The findings of one rule produced by one model. Each finding counts once, in the pull request it was posted on.
     *
     * @param rule     the rule ({@code unknown} for comments posted before rules were recorded)
     * @param model    the model that produced the findings: the gateway alias that answered; {@code none} for
     *                 deterministic analyzers and for comments posted before models were recorded
     * @param posted   findings commented on inline
     * @param accepted of those, findings a later push fixed (the code of their lines changed and they were no longer
     *                 found: their thread was resolved) or that got a 👍, and were not rejected
     * @param rejected of those, findings justified in their thread or given a 👎
     * @param rate     {@code accepted / (accepted + rejected)}, null while no finding has either outcome
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Row(String rule, String model, int posted, int accepted, int rejected, Double rate) {
        /** A row whose rate is computed from its counts. */
        public static Row of(String rule, String model, int posted, int accepted, int rejected) {
            int decided = accepted + rejected;
            return new Row(rule, model, posted, accepted, rejected, decided == 0 ? null : (double) accepted / decided);
        }
    }
}
