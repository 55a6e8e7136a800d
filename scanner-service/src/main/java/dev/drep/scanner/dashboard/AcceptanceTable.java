package dev.drep.scanner.dashboard;

import dev.drep.contracts.FindingAcceptance;
import java.util.List;

/**
 * The dashboard's table of how drep's inline findings were received, per rule and model (the review-publisher's
 * {@code /internal/acceptance}, as {@code GET /api/acceptance}); or why it could not be read, so that the page still
 * shows the jobs when the publisher does not answer.
 *
 * @param rows    one per rule and model, worst rate first (rules nobody answered yet last)
 * @param problem why the table is missing, or null
 */
public record AcceptanceTable(List<Row> rows, String problem) {

    /**
     * @param rule     the rule
     * @param model    the model, {@code none} for deterministic analyzers
     * @param posted   findings commented on inline
     * @param accepted of those, fixed by a later push or 👍'd
     * @param rejected of those, justified or 👎'd
     * @param rate     {@code accepted / (accepted + rejected)} as a percentage, or an en dash while neither happened
     */
    public record Row(String rule, String model, String posted, String accepted, String rejected, String rate) {
    }

    static AcceptanceTable of(FindingAcceptance acceptance) {
        List<Row> rows = acceptance.rows().stream()
                .sorted(java.util.Comparator.comparing((FindingAcceptance.Row r) -> r.rate() == null ? 2.0 : r.rate())
                        .thenComparing(FindingAcceptance.Row::rule).thenComparing(FindingAcceptance.Row::model))
                .map(r -> new Row(r.rule(), r.model(), Formats.count(r.posted()), Formats.count(r.accepted()),
                        Formats.count(r.rejected()), r.rate() == null ? "–" : Formats.percent(r.rate())))
                .toList();
        return new AcceptanceTable(rows, null);
    }

    static AcceptanceTable unavailable(Throwable why) {
        return new AcceptanceTable(List.of(), why.getMessage());
    }
}
