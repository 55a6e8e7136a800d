package dev.drep.core.review;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drep.contracts.Finding;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Review;
import dev.drep.contracts.Severity;
import dev.drep.core.markdown.MarkdownRule;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a {@link Review} as the three files of a local review: {@code review.json} ({@link #toJson}, read
 * back with {@link #fromJson}), {@code review.md} ({@link #toMarkdown}) and {@code review.sarif}
 * ({@link #toSarif}). The output depends only on the review: same review, same bytes, on every platform
 * (LF line endings, fixed field order).
 *
 * <h2>SARIF mapping</h2>
 * <ul>
 *   <li>One run; {@code tool.driver.name} is {@code drep}; {@code tool.driver.rules} lists every rule
 *       used, sorted by id, with a {@code shortDescription}; each result points at its rule by
 *       {@code ruleId} and {@code ruleIndex}.</li>
 *   <li>Severity maps to {@code level}: error → {@code error}, warning → {@code warning}, info →
 *       {@code note}.</li>
 *   <li>Locations are repository-relative URIs (percent-encoded where needed) against
 *       {@value #SRCROOT}; {@code region.startLine} is the finding's line (left out when the finding has
 *       no line, i.e. line &lt; 1), and {@code region.endLine} its last line when it covers several.</li>
 *   <li>A suggestion becomes a {@code fix} replacing the whole line, or the whole lines
 *       {@code line..endLine} of a finding covering several.</li>
 *   <li>Files that were not analysed are {@code toolExecutionNotifications} of
 *       {@code run.invocations[0]} (level {@code warning}, descriptor id {@value #NOT_ANALYZED_ID}, the file
 *       as location, the reason in the message): SARIF's place for "the tool could not do something
 *       during this run", which viewers show beside the results. The invocation's
 *       {@code executionSuccessful} stays true: skipping a file is reported, not a crash.</li>
 *   <li>Job id, repository, base and head are in {@code run.properties}; deleted files are not in the
 *       SARIF log (they carry no result).</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ReviewRenderer {
    /**
     * The {@code $schema} of the SARIF output: the {@code $id} of the OASIS SARIF 2.1.0 schema that the tests
     * validate the output against (the value most SARIF producers write).
     */
    public static final String SARIF_SCHEMA =
            "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json";
    /** SARIF base id of the repository root, against which every location's URI is relative. */
    public static final String SRCROOT = "%SRCROOT%";
    /** Descriptor id of the notification for a file that was not analysed. */
    public static final String NOT_ANALYZED_ID = "drep.not-analyzed";

    private final ObjectMapper mapper;
    private final ObjectWriter writer;

    /** Creates a renderer with its own Jackson mapper. */
    public ReviewRenderer() {
        mapper = new ObjectMapper()
                // Map keys (the severity counts) in key order, whatever the map's own iteration order.
                .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                // review.json written by a newer drep must stay readable by an older CLI.
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .addMixIn(Review.class, ReviewOrder.class)
                .addMixIn(Finding.class, FindingOrder.class)
                .addMixIn(NotAnalyzed.class, NotAnalyzedOrder.class);
        // LF on every platform, so that the files are byte-identical wherever they are written.
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        writer = mapper.writer(new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter));
    }

    // ---- JSON ----

    /** @return the review as pretty-printed JSON (the content of {@code review.json}) */
    public String toJson(Review review) {
        return write(review);
    }

    /**
     * Reads a review written by {@link #toJson}.
     *
     * @throws IllegalArgumentException when {@code json} is not a review
     */
    public Review fromJson(String json) {
        try {
            return mapper.readValue(json, Review.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a drep review: " + e.getOriginalMessage(), e);
        }
    }

    // ---- markdown ----

    /**
     * Renders the review for people: its summary, then the findings grouped by file, each as
     * {@code path:line} ({@code path:line-endLine} when its suggestion replaces several lines) with severity,
     * rule and message, and its suggestion as a {@code suggestion} block.
     */
    public String toMarkdown(Review review) {
        StringBuilder md = new StringBuilder(review.summary() == null ? "" : review.summary());
        if (md.length() > 0 && md.charAt(md.length() - 1) != '\n') {
            md.append('\n');
        }
        md.append("\n## Findings\n\n");
        if (review.findings().isEmpty()) {
            md.append("No findings.\n");
            return md.toString();
        }
        Map<String, List<Finding>> byFile = new LinkedHashMap<>();
        for (Finding finding : review.findings()) {
            byFile.computeIfAbsent(finding.path(), p -> new ArrayList<>()).add(finding);
        }
        boolean firstFile = true;
        for (Map.Entry<String, List<Finding>> file : byFile.entrySet()) {
            if (!firstFile) {
                md.append('\n');
            }
            firstFile = false;
            md.append("### ").append(MarkdownText.code(file.getKey())).append("\n\n");
            for (Finding finding : file.getValue()) {
                appendFinding(md, finding);
            }
        }
        // Exactly one final newline: drep's own markdown rules would flag a trailing blank line.
        while (md.length() > 1 && md.charAt(md.length() - 1) == '\n' && md.charAt(md.length() - 2) == '\n') {
            md.setLength(md.length() - 1);
        }
        return md.toString();
    }

    private static void appendFinding(StringBuilder md, Finding finding) {
        md.append("- **").append(finding.severity().label()).append("** ")
                .append(MarkdownText.code(finding.location())).append(' ')
                .append(MarkdownText.code(finding.rule())).append(": ")
                .append(indentContinuation(finding.message() == null ? "" : finding.message().strip())).append('\n');
        if (finding.suggestion() != null) {
            String fence = MarkdownText.fenceFor(finding.suggestion());
            md.append("\n  ").append(fence).append("suggestion\n");
            for (String line : finding.suggestion().split("\r?\n", -1)) {
                // Blank lines stay empty rather than indented, so the output has no trailing whitespace.
                md.append(line.isEmpty() ? "" : "  " + line).append('\n');
            }
            md.append("  ").append(fence).append("\n\n");
        }
    }

    /** Indents every line after the first by two spaces, so that a multi-line message stays in its list item. */
    private static String indentContinuation(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\n  ");
    }

    // ---- SARIF ----

    /** Renders the review as a SARIF 2.1.0 log (see the class documentation for the mapping). */
    public String toSarif(Review review) {
        ObjectNode log = mapper.createObjectNode();
        log.put("$schema", SARIF_SCHEMA);
        log.put("version", "2.1.0");
        ObjectNode run = log.putArray("runs").addObject();

        Map<String, Integer> ruleIndex = new TreeMap<>();
        for (Finding finding : review.findings()) {
            ruleIndex.putIfAbsent(finding.rule(), 0);
        }
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "drep");
        ArrayNode rules = driver.putArray("rules");
        int index = 0;
        for (Map.Entry<String, Integer> rule : ruleIndex.entrySet()) {
            rule.setValue(index++);
            ObjectNode descriptor = rules.addObject();
            descriptor.put("id", rule.getKey());
            descriptor.putObject("shortDescription").put("text", describe(rule.getKey()));
        }

        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", true);
        if (!review.notAnalyzed().isEmpty()) {
            ArrayNode notifications = invocation.putArray("toolExecutionNotifications");
            for (NotAnalyzed skipped : review.notAnalyzed()) {
                ObjectNode notification = notifications.addObject();
                notification.put("level", "warning");
                notification.putObject("message").put("text", "not analyzed: " + skipped.reason());
                notification.putObject("descriptor").put("id", NOT_ANALYZED_ID);
                ObjectNode physical = notification.putArray("locations").addObject().putObject("physicalLocation");
                artifactLocation(physical, skipped.path());
            }
        }

        ArrayNode results = run.putArray("results");
        for (Finding finding : review.findings()) {
            ObjectNode result = results.addObject();
            result.put("ruleId", finding.rule());
            result.put("ruleIndex", ruleIndex.get(finding.rule()));
            result.put("level", level(finding.severity()));
            result.putObject("message").put("text", finding.message() == null ? finding.rule() : finding.message());
            ObjectNode physical = result.putArray("locations").addObject().putObject("physicalLocation");
            artifactLocation(physical, finding.path());
            if (finding.line() > 0) {
                region(physical.putObject("region"), finding);
            }
            if (finding.suggestion() != null && finding.line() > 0) {
                ObjectNode fix = result.putArray("fixes").addObject();
                fix.putObject("description").put("text", "Apply drep's suggestion");
                ObjectNode change = fix.putArray("artifactChanges").addObject();
                artifactLocation(change, finding.path());
                ObjectNode replacement = change.putArray("replacements").addObject();
                // A region of lines without columns is those whole lines, the last line break excluded.
                region(replacement.putObject("deletedRegion"), finding);
                replacement.putObject("insertedContent").put("text", finding.suggestion());
            }
        }

        ObjectNode properties = run.putObject("properties");
        properties.put("jobId", review.jobId());
        properties.put("repository", review.repository());
        properties.put("base", review.base());
        properties.put("head", review.head());
        return write(log);
    }

    /** The finding's lines: {@code startLine}, and {@code endLine} when it covers more than one. */
    private static void region(ObjectNode region, Finding finding) {
        region.put("startLine", finding.line());
        if (finding.multiLine()) {
            region.put("endLine", finding.endLine());
        }
    }

    private static void artifactLocation(ObjectNode parent, String path) {
        ObjectNode location = parent.putObject("artifactLocation");
        location.put("uri", relativeUri(path));
        location.put("uriBaseId", SRCROOT);
    }

    /**
     * A repository path as a relative URI reference: characters that are not allowed in a URI path are
     * percent-encoded (as UTF-8), and a colon in the first segment is encoded so that it cannot be read as
     * a scheme.
     */
    static String relativeUri(String path) {
        try {
            String encoded = new URI(null, null, path, null, null).toASCIIString();
            int firstSlash = encoded.indexOf('/');
            int colon = encoded.indexOf(':');
            if (colon >= 0 && (firstSlash < 0 || colon < firstSlash)) {
                String firstSegment = firstSlash < 0 ? encoded : encoded.substring(0, firstSlash);
                encoded = firstSegment.replace(":", "%3A") + (firstSlash < 0 ? "" : encoded.substring(firstSlash));
            }
            return encoded;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("path cannot be written as a URI: " + path, e);
        }
    }

    private static String level(Severity severity) {
        return switch (severity) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }

    private static String describe(String ruleId) {
        return MarkdownRule.byId(ruleId).map(MarkdownRule::description).orElse("drep rule " + ruleId);
    }

    private String write(Object value) {
        try {
            return writer.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @JsonPropertyOrder({"jobId", "repository", "base", "head", "summary", "counts", "findings", "notAnalyzed",
        "deleted", "summaryFindings", "notes", "usage", "droppedFindings", "lowConfidenceFindings"})
    private abstract static class ReviewOrder {
    }

    @JsonPropertyOrder({"rule", "path", "line", "endLine", "severity", "message", "suggestion", "confidence"})
    private abstract static class FindingOrder {
    }

    @JsonPropertyOrder({"path", "reason"})
    private abstract static class NotAnalyzedOrder {
    }
}
