package dev.drep.publisher.metrics;

import dev.drep.publisher.posting.PostingLedger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The publisher's counters, named {@code drep.publisher.*} (Prometheus: {@code drep_publisher_*}; listed
 * in docs/observability.md): posting attempts by platform and outcome, and platform requests that failed
 * by platform and HTTP status class. The gauges of pending work are {@link PendingWorkGauges}.
 */
@ApplicationScoped
public class PublisherMetrics {
    /** The platform label of reviews written as local files. */
    public static final String LOCAL = "local";
    private static final List<String> PLATFORMS = List.of(LOCAL, "gitea", "github", "gitlab");

    private final MeterRegistry registry;

    /** @param registry Micrometer */
    public PublisherMetrics(MeterRegistry registry) {
        this.registry = registry;
        // the known series exist from the start, so that rates and alerts see a 0 rather than nothing
        for (String platform : PLATFORMS) {
            for (String outcome : List.of("published", "deferred", "failed")) {
                posts(platform, outcome);
            }
        }
        // rules are open-ended: the series of comments without a recorded rule exist from the start
        outcomes(null, "accepted");
        outcomes(null, "rejected");
    }

    /**
     * One attempt to post a stored review ended.
     *
     * @param platform {@code local}, {@code gitea}, {@code github} or {@code gitlab}
     * @param outcome  {@code published}, {@code deferred} (platform unavailable or rate limited; tried
     *                 again later) or {@code failed}
     */
    public void post(String platform, String outcome) {
        posts(platform, outcome).increment();
    }

    /**
     * A platform request did not succeed (every answer that is not 2xx, including rate limits that are
     * then waited out, and requests that got no answer).
     *
     * @param platform the platform
     * @param status   the HTTP status, 0 when there was no answer (connection failure, timeout)
     */
    public void platformError(String platform, int status) {
        Counter.builder("drep.publisher.platform.errors").tag("platform", label(platform))
                .tag("status_class", status <= 0 ? "none" : (status / 100) + "xx")
                .description("Platform requests that did not succeed").register(registry).increment();
    }

    /**
     * What became of one of drep's inline findings on a pull request: {@code accepted} (a later push changed its code
     * and it no longer reproduces: its thread was resolved; or a 👍) or {@code rejected} (justified in its thread, or a
     * 👎). The rate per rule and model is {@code accepted / (accepted + rejected)}.
     *
     * @param origin the finding's rule ({@code unknown} for comments posted before rules were recorded) and model
     *               ({@code none} for deterministic analyzers and comments posted before models were recorded)
     */
    public void findingOutcome(PostingLedger.Origin origin, String outcome) {
        outcomes(origin, outcome).increment();
    }

    private Counter outcomes(PostingLedger.Origin origin, String outcome) {
        String rule = origin == null || origin.rule() == null ? "unknown" : origin.rule();
        String model = origin == null || origin.model() == null ? "none" : origin.model();
        return Counter.builder("drep.publisher.finding.outcomes").tag("rule", rule).tag("model", model)
                .tag("outcome", outcome)
                .description("Inline findings accepted (fixed by a later push, or a 👍) or rejected (justified, or a 👎)")
                .register(registry);
    }

    private Counter posts(String platform, String outcome) {
        return Counter.builder("drep.publisher.posts").tag("platform", label(platform)).tag("outcome", outcome)
                .description("Attempts to post a stored review").register(registry);
    }

    private static String label(String platform) {
        return platform == null || platform.isBlank() ? "unknown" : platform;
    }
}
