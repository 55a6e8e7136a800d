package dev.drep.publisher.feedback;

import dev.drep.contracts.JustifiedReply;
import dev.drep.contracts.PullRequestRef;
import dev.drep.publisher.metrics.PublisherMetrics;
import dev.drep.publisher.platform.PlatformTarget;
import dev.drep.publisher.platform.Platforms;
import dev.drep.publisher.platform.PublisherConfig;
import dev.drep.publisher.platform.ReviewPlatform;
import dev.drep.publisher.platform.TokenResolver;
import dev.drep.publisher.posting.Markers;
import dev.drep.publisher.posting.PostingLedger;
import dev.drep.publisher.posting.ScopeKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Records a reply that justifies one of drep's inline findings (docs/architecture.md, "Justified findings"): the
 * thread's first comment is read from the platform, and the findings whose hidden markers it carries and that drep
 * posted on this pull request (its posting ledger) are recorded justified. A thread that is not drep's — someone
 * else's comment, or one quoting drep's marker about a finding drep never posted here — records nothing. Blocking (a
 * platform call, then short statements; no transaction across the call).
 */
@ApplicationScoped
public class Justifications {
    private static final Logger LOG = Logger.getLogger(Justifications.class);
    /** CommentBodies writes {@code **severity** `rule`} after the markers. */
    private static final Pattern RULE = Pattern.compile("\\*\\*[a-z]+\\*\\* (`+)(.+?)\\1");

    private final Platforms platforms;
    private final TokenResolver tokens;
    private final PostingLedger ledger;
    private final JustifiedFindings justified;
    private final PublisherConfig config;
    private final PublisherMetrics metrics;

    public Justifications(Platforms platforms, TokenResolver tokens, PostingLedger ledger, JustifiedFindings justified,
            PublisherConfig config, PublisherMetrics metrics) {
        this.metrics = metrics;
        this.platforms = platforms;
        this.tokens = tokens;
        this.ledger = ledger;
        this.justified = justified;
        this.config = config;
    }

    /** @return the fingerprints of drep's findings in the reply's thread (empty: not a thread of drep's findings) */
    public List<String> justify(JustifiedReply reply) {
        PullRequestRef ref = reply.pullRequest();
        ReviewPlatform platform = platforms.get(ref.platform());
        PlatformTarget target = new PlatformTarget(ref, tokens.resolve(ref.tokenRef()), Duration.ZERO,
                config.http().timeout());
        Optional<String> start = platform.threadStart(target, reply.thread());
        if (start.isEmpty()) {
            return List.of();
        }
        String scope = ScopeKeys.pullRequest(ref);
        Map<String, PostingLedger.Entry> posted = ledger.entries(scope);
        List<String> fingerprints = Markers.findings(start.get()).stream().filter(posted::containsKey).sorted().toList();
        String rule = rule(start.get());
        for (String fingerprint : fingerprints) {
            if (justified.record(ref, new JustifiedFindings.Justified(fingerprint, rule, reply.author(), reply.reason()),
                    reply.replyKey())) {
                metrics.findingOutcome(new PostingLedger.Origin(rule, model(scope, fingerprint)), "rejected");
                LOG.infof("%s: finding %s (%s) justified by %s", ScopeKeys.describe(ref), fingerprint, rule,
                        reply.author());
            }
        }
        return fingerprints;
    }

    private String model(String scope, String fingerprint) {
        PostingLedger.Origin origin = ledger.origins(scope).get(fingerprint);
        return origin == null ? null : origin.model();
    }

    /** @return the rule drep's comment names, or null */
    static String rule(String body) {
        Matcher m = RULE.matcher(body);
        return m.find() ? m.group(2).strip() : null;
    }
}
