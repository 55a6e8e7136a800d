package dev.drep.testsupport.metrics;

/** Reads values out of a Prometheus text exposition ({@code /q/metrics}), as the services' metrics tests do. */
public final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * @param metrics the scraped text
     * @param series  a series exactly as exported: name and labels, e.g. {@code drep_x_total{service="scanner"}}
     * @return its value, 0 when the series is not there
     */
    public static double value(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }
}
