package dev.drep.testsupport.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics {@code docs/observability.md} documents, read from its table, so that each service's tests can
 * check that its Prometheus endpoint exposes every name the documentation promises.
 */
public final class DocumentedMetrics {
    private static final Pattern NAME = Pattern.compile("`(drep_[a-z0-9_]+)`");

    private DocumentedMetrics() {
    }

    /** @return the documented metric names of {@code service} ({@code scanner}, {@code analyzer}, ...) */
    public static List<String> of(String service) {
        List<String> names = new ArrayList<>();
        for (String line : lines()) {
            if (!line.startsWith("| `drep_")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String owner = cells[cells.length - 1].strip();
            if (!owner.equals(service)) {
                continue;
            }
            Matcher name = NAME.matcher(cells[1]);
            while (name.find()) {
                names.add(name.group(1));
            }
        }
        if (names.isEmpty()) {
            throw new AssertionError("docs/observability.md documents no metric of service '" + service + "'");
        }
        return names;
    }

    /**
     * @param scrape  the text of {@code /q/metrics}
     * @param service the service
     * @return the documented names of the service with no series in {@code scrape} (a timer counts as present
     *     with its {@code _count} series)
     */
    public static List<String> missing(String scrape, String service) {
        List<String> missing = new ArrayList<>();
        for (String name : of(service)) {
            Pattern series = Pattern.compile("(?m)^" + Pattern.quote(name) + "(_count|_sum|_max|_bucket)?[{ ]");
            if (!series.matcher(scrape).find()) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static List<String> lines() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/observability.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new AssertionError("docs/observability.md not found above " + Path.of("").toAbsolutePath());
        }
        try {
            return Files.readAllLines(dir.resolve("docs/observability.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
