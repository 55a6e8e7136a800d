package dev.drep.publisher.feedback;

import dev.drep.publisher.metrics.PublisherMetrics;
import dev.drep.publisher.platform.PlatformException;
import dev.drep.publisher.platform.PlatformTarget;
import dev.drep.publisher.platform.ReviewPlatform;
import dev.drep.publisher.platform.ReviewPlatform.ReactableComment;
import dev.drep.publisher.platform.ReviewPlatform.Reaction;
import dev.drep.publisher.posting.Markers;
import dev.drep.publisher.posting.PostingLedger;
import dev.drep.publisher.posting.ScopeKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads the 👍/👎 on drep's earlier inline comments of a pull request at its next review (docs/architecture.md,
 * "Learning from feedback"). Only comments carrying the marker of a finding drep posted on this pull request (its
 * posting ledger) are read, the {@link LearningsConfig#reactionComments} most recent of them; a reaction by the
 * comment's author (drep's own user) or by a bot does not count. A 👎 by anyone else records the finding as rejected
 * (a learning of kind {@code reaction}, once per finding), a 👍 counts it accepted (once per finding). Reading
 * reactions never fails a publication: a platform error is logged and the rest is skipped. Blocking; no transaction
 * across a platform call.
 */
@ApplicationScoped
public class Reactions {
    private static final Logger LOG = Logger.getLogger(Reactions.class);

    private final PostingLedger ledger;
    private final JustifiedFindings findings;
    private final LearningsConfig config;
    private final PublisherMetrics metrics;

    public Reactions(PostingLedger ledger, JustifiedFindings findings, LearningsConfig config,
            PublisherMetrics metrics) {
        this.ledger = ledger;
        this.findings = findings;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Records the feedback the reactions on drep's comments give.
     *
     * @param target the pull request, with a rate-limit wait of zero (reading reactions must not delay the review)
     */
    public void read(ReviewPlatform platform, PlatformTarget target) {
        if (!config.reactions()) {
            return;
        }
        String scope = ScopeKeys.pullRequest(target.ref());
        Map<String, PostingLedger.Entry> posted = ledger.entries(scope);
        if (posted.values().stream().noneMatch(e -> e.state() == PostingLedger.State.POSTED
                || e.state() == PostingLedger.State.RESOLVING || e.state() == PostingLedger.State.RESOLVED)) {
            return; // no inline comment of drep's on this pull request yet: nothing to ask the platform
        }
        List<ReactableComment> drepsComments;
        try {
            drepsComments = platform.reactableComments(target).stream()
                    .filter(c -> Markers.findings(c.body()).stream().anyMatch(posted::containsKey)).toList();
        } catch (PlatformException e) {
            LOG.warnf("%s: the reactions on drep's comments were not read (%s); the review goes on without them",
                    ScopeKeys.describe(target.ref()), e.getMessage());
            return;
        }
        int from = Math.max(0, drepsComments.size() - config.reactionComments());
        Map<String, PostingLedger.Origin> origins = ledger.origins(scope);
        for (ReactableComment comment : drepsComments.subList(from, drepsComments.size())) {
            List<Reaction> reactions;
            try {
                reactions = platform.reactions(target, comment.id());
            } catch (PlatformException e) {
                LOG.warnf("%s: the reactions on drep's comment %s were not read (%s); skipped",
                        ScopeKeys.describe(target.ref()), comment.id(), e.getMessage());
                continue;
            }
            List<Reaction> human = reactions.stream()
                    .filter(r -> !r.bot() && !r.user().isBlank() && !r.user().equalsIgnoreCase(comment.author()))
                    .toList();
            Optional<Reaction> down = human.stream().filter(r -> !r.thumbsUp()).findFirst();
            Optional<Reaction> up = human.stream().filter(Reaction::thumbsUp).findFirst();
            for (String fingerprint : Markers.findings(comment.body())) {
                if (!posted.containsKey(fingerprint)) {
                    continue;
                }
                PostingLedger.Origin origin = origins.get(fingerprint);
                String rule = origin != null && origin.rule() != null ? origin.rule() : Justifications.rule(comment.body());
                origin = new PostingLedger.Origin(rule, origin == null ? null : origin.model());
                if (down.isPresent() && findings.record(target.ref(), new JustifiedFindings.Justified(fingerprint,
                        rule, down.get().user(), "👎 on drep's comment"), "reaction:" + comment.id(), "reaction")) {
                    metrics.findingOutcome(origin, "rejected");
                    LOG.infof("%s: finding %s (%s) rejected by %s's 👎", ScopeKeys.describe(target.ref()), fingerprint,
                            rule, down.get().user());
                }
                if (up.isPresent() && findings.accept(scope, fingerprint, up.get().user())) {
                    metrics.findingOutcome(origin, "accepted");
                }
            }
        }
    }
}
