package dev.drep.publisher.issues;

import dev.drep.contracts.Finding;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.PullRequestRef;
import dev.drep.publisher.platform.PlatformException;
import dev.drep.publisher.platform.PlatformTarget;
import dev.drep.publisher.platform.Platforms;
import dev.drep.publisher.platform.PostedItem;
import dev.drep.publisher.platform.PublisherConfig;
import dev.drep.publisher.platform.ReviewPlatform;
import dev.drep.publisher.platform.SuggestionStyle;
import dev.drep.publisher.platform.TokenResolver;
import dev.drep.publisher.posting.BodyLimit;
import dev.drep.publisher.posting.FindingFingerprints;
import dev.drep.publisher.posting.FindingFingerprints.Fingerprinted;
import dev.drep.publisher.posting.Markdown;
import dev.drep.publisher.posting.Markers;
import dev.drep.publisher.posting.PlatformAttempts;
import dev.drep.publisher.posting.PostingLedger;
import dev.drep.publisher.posting.PostingLedger.Entry;
import dev.drep.publisher.posting.PostingLedger.State;
import dev.drep.publisher.posting.PublishOutcome;
import dev.drep.publisher.posting.Publication;
import dev.drep.publisher.posting.ScopeKeys;
import dev.drep.publisher.pullrequest.CommentBodies;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Opens issues for the findings of a repository scan (target kind {@code issues}): one issue per
 * finding at or above {@code minimumSeverity}, most severe first, at most {@code maxInlineComments} new
 * issues per scan (the rest wait for the next scan).
 *
 * <p>De-duplicated per repository by fingerprint, like inline comments: a finding with an issue is
 * never opened again, also after the issue is closed (a closed issue is a decision someone made). Before
 * opening anything the open issues are searched for drep's finding markers, which both adopts issues
 * whose records were lost and settles findings recorded as SENDING by a post that was cut short.
 */
@ApplicationScoped
public class IssuePublisher {
    private static final Logger LOG = Logger.getLogger(IssuePublisher.class);
    /** GitHub's limit is 256; the others allow more. */
    private static final int MAX_TITLE = 200;

    private final Platforms platforms;
    private final TokenResolver tokens;
    private final PostingLedger ledger;
    private final PlatformAttempts attempts;
    private final PublisherConfig config;

    public IssuePublisher(Platforms platforms, TokenResolver tokens, PostingLedger ledger, PlatformAttempts attempts,
            PublisherConfig config) {
        this.platforms = platforms;
        this.tokens = tokens;
        this.ledger = ledger;
        this.attempts = attempts;
        this.config = config;
    }

    /** Opens the scan's new issues; see the class documentation. */
    public PublishOutcome publish(Publication publication) {
        PullRequestRef ref = publication.plan().target().pullRequest();
        return attempts.run(publication, ScopeKeys.describe(ref), () -> {
            ReviewPlatform platform = platforms.get(ref.platform());
            PlatformTarget target = new PlatformTarget(ref, tokens.resolve(ref.tokenRef()), config.retry().maxWait(),
                    config.http().timeout());
            return open(publication, platform, target);
        });
    }

    private PublishOutcome open(Publication publication, ReviewPlatform platform, PlatformTarget target) {
        PublishSettings settings = publication.settings();
        String scope = ScopeKeys.issues(target.ref());
        String jobId = publication.jobId();
        List<Finding> findings = Stream.concat(publication.review().findings().stream(),
                publication.review().summaryFindings().stream()).toList();
        Map<String, Entry> entries = ledger.entries(scope);

        List<Fingerprinted> pending = new ArrayList<>();
        int openedByThisJob = 0;
        for (Fingerprinted f : FindingFingerprints.of(findings)) {
            Entry entry = entries.get(f.fingerprint());
            if (entry != null && entry.state() == State.POSTED && jobId.equals(entry.jobId())) {
                openedByThisJob++;
            }
            boolean done = entry != null && (entry.state() == State.POSTED
                    || (entry.state() == State.REJECTED && jobId.equals(entry.jobId())));
            if (!done && f.finding().severity().atLeast(settings.minimumSeverity())) {
                pending.add(f);
            }
        }
        List<String> outputs = new ArrayList<>();
        if (pending.isEmpty()) {
            return new PublishOutcome.Published(outputs);
        }

        Map<String, PostedItem> open = new HashMap<>();
        for (PostedItem issue : platform.openIssues(target)) {
            for (String fingerprint : Markers.findings(issue.body())) {
                open.putIfAbsent(fingerprint, issue);
            }
        }
        List<Fingerprinted> toOpen = new ArrayList<>();
        for (Fingerprinted f : pending) {
            PostedItem existing = open.get(f.fingerprint());
            if (existing != null) {
                ledger.record(scope, f.fingerprint(), State.POSTED, jobId, existing.id(), existing.url(), null);
            } else {
                toOpen.add(f);
            }
        }
        toOpen.sort(Comparator.comparing((Fingerprinted f) -> f.finding().severity()).reversed());
        int capacity = Math.max(0, settings.maxInlineComments() - openedByThisJob);
        if (toOpen.size() > capacity) {
            LOG.infof("job %s: %d findings of %s wait for the next scan (at most %d new issues per scan)", jobId,
                    toOpen.size() - capacity, ScopeKeys.describe(target.ref()), settings.maxInlineComments());
            toOpen = toOpen.subList(0, capacity);
        }
        for (Fingerprinted f : toOpen) {
            ledger.record(scope, f.fingerprint(), State.SENDING, jobId, null, null, null);
            try {
                PostedItem issue = platform.createIssue(target, title(f.finding()),
                        BodyLimit.fit(body(f, publication), platform.maxBodyLength()));
                ledger.record(scope, f.fingerprint(), State.POSTED, jobId, issue.id(), issue.url(), null);
                outputs.add(issue.url() != null ? issue.url() : ScopeKeys.describe(target.ref()) + " issue " + issue.id());
            } catch (PlatformException e) {
                if (e.kind() != PlatformException.Kind.REJECTED) {
                    throw e;
                }
                LOG.warnf("job %s: issue for %s refused: %s", jobId, f.finding().path(), e.getMessage());
                ledger.record(scope, f.fingerprint(), State.REJECTED, jobId, null, null, e.reason());
            }
        }
        return new PublishOutcome.Published(outputs);
    }

    static String title(Finding finding) {
        String title = "drep: " + finding.rule() + " in " + finding.path() + ": " + Markdown.oneLine(finding.message());
        return title.length() <= MAX_TITLE ? title : title.substring(0, MAX_TITLE - 1) + "…";
    }

    private static String body(Fingerprinted f, Publication publication) {
        Finding finding = f.finding();
        String location = finding.path() + (finding.line() > 0 ? ":" + finding.line() : "");
        String head = publication.review().head();
        return CommentBodies.finding(finding, f.fingerprint(), SuggestionStyle.PLAIN)
                + "\nFound in " + Markdown.code(location) + (head == null ? "" : " at " + Markdown.code(head))
                + " by drep's scan of " + Markdown.code(publication.review().repository() == null ? ""
                        : publication.review().repository())
                + ".\n\n<sub>drep opens one issue per finding and does not open it again.</sub>\n";
    }
}
