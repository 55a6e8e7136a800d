package dev.drep.publisher.issues;

import dev.drep.contracts.Finding;
import dev.drep.contracts.JobPlan;
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
import dev.drep.publisher.posting.PostedText;
import dev.drep.publisher.posting.PublishOutcome;
import dev.drep.publisher.posting.Publication;
import dev.drep.publisher.posting.ScopeKeys;
import dev.drep.publisher.pullrequest.CommentBodies;
import dev.drep.publisher.pullrequest.InlineSelection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>An issue drep opened is closed, with a comment naming the scan's head commit, when a later scan of
 * the repository looked at the finding's file and no longer has the finding (see {@link #covered}): the
 * file was analysed again in full and completely, or deleted. An incremental scan that did not analyse a
 * file leaves its issues alone, as does a scan with a unit that sent no result. Should a closed finding
 * come back, it gets a new issue.
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

    /** Opens the scan's new issues and closes those of findings it no longer has; see the class documentation. */
    public PublishOutcome publish(Publication publication) {
        PullRequestRef ref = publication.plan().target().pullRequest();
        return attempts.run(publication, ScopeKeys.describe(ref), () -> {
            ReviewPlatform platform = platforms.get(ref.platform());
            PlatformTarget target = new PlatformTarget(ref, tokens.resolve(ref.tokenRef()), config.retry().maxWait(),
                    config.http().timeout());
            return reconcile(publication, platform, target);
        });
    }

    private PublishOutcome reconcile(Publication publication, ReviewPlatform platform, PlatformTarget target) {
        PublishSettings settings = publication.settings();
        String scope = ScopeKeys.issues(target.ref());
        String jobId = publication.jobId();
        List<Finding> findings = Stream.concat(publication.review().findings().stream(),
                publication.review().summaryFindings().stream()).toList();
        Map<String, Entry> entries = ledger.entries(scope);

        PostedText text = PostedText.of(publication);
        List<Fingerprinted> fingerprinted = FindingFingerprints.of(findings);
        List<Fingerprinted> pending = new ArrayList<>();
        int openedByThisJob = 0;
        for (Fingerprinted f : fingerprinted) {
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
        List<Entry> gone = noLongerFound(publication, entries, fingerprinted);
        List<String> outputs = new ArrayList<>();
        if (pending.isEmpty() && gone.isEmpty()) {
            return new PublishOutcome.Published(outputs);
        }

        Map<String, PostedItem> open = new HashMap<>();
        for (PostedItem issue : platform.openIssues(target)) {
            for (String fingerprint : Markers.findings(issue.body())) {
                open.putIfAbsent(fingerprint, issue);
            }
        }
        openNew(publication, platform, target, pending, open, settings.maxInlineComments() - openedByThisJob, outputs,
                text);
        closeGone(publication, platform, target, gone, open);
        return new PublishOutcome.Published(outputs);
    }

    private void openNew(Publication publication, ReviewPlatform platform, PlatformTarget target,
            List<Fingerprinted> pending, Map<String, PostedItem> open, int room, List<String> outputs, PostedText text) {
        String scope = ScopeKeys.issues(target.ref());
        String jobId = publication.jobId();
        List<Fingerprinted> toOpen = new ArrayList<>();
        for (Fingerprinted f : pending) {
            PostedItem existing = open.get(f.fingerprint());
            if (existing != null) {
                ledger.record(scope, f.fingerprint(), State.POSTED, jobId, existing.id(), existing.url(), null,
                        f.finding().path());
            } else {
                toOpen.add(f);
            }
        }
        toOpen.sort(InlineSelection.RANK);
        int capacity = Math.max(0, room);
        if (toOpen.size() > capacity) {
            LOG.infof("job %s: %d findings of %s wait for the next scan (at most %d new issues per scan)", jobId,
                    toOpen.size() - capacity, ScopeKeys.describe(target.ref()), publication.settings().maxInlineComments());
            toOpen = toOpen.subList(0, capacity);
        }
        for (Fingerprinted f : toOpen) {
            ledger.record(scope, f.fingerprint(), State.SENDING, jobId, null, null, null, f.finding().path());
            try {
                PostedItem issue = platform.createIssue(target, title(f.finding(), text),
                        BodyLimit.fit(body(new Fingerprinted(text.finding(f.finding()), f.fingerprint()), publication),
                                platform.maxBodyLength()));
                ledger.record(scope, f.fingerprint(), State.POSTED, jobId, issue.id(), issue.url(), null,
                        f.finding().path());
                outputs.add(issue.url() != null ? issue.url() : ScopeKeys.describe(target.ref()) + " issue " + issue.id());
            } catch (PlatformException e) {
                if (e.kind() != PlatformException.Kind.REJECTED) {
                    throw e;
                }
                LOG.warnf("job %s: issue for %s refused: %s", jobId, f.finding().path(), e.getMessage());
                ledger.record(scope, f.fingerprint(), State.REJECTED, jobId, null, null, e.reason());
            }
        }
    }

    /**
     * The issues drep opened (or adopted by their marker) for findings this scan no longer has although it
     * looked at their files: see {@link #covered}. Only issues recorded with their file count, so issues
     * recorded before files were recorded are never closed.
     */
    private static List<Entry> noLongerFound(Publication publication, Map<String, Entry> entries,
            List<Fingerprinted> found) {
        Set<String> covered = covered(publication);
        if (covered.isEmpty()) {
            return List.of();
        }
        Set<String> stillFound = new HashSet<>();
        found.forEach(f -> stillFound.add(f.fingerprint()));
        List<Entry> gone = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (entry.state() == State.POSTED && entry.path() != null && covered.contains(entry.path())
                    && !stillFound.contains(entry.fingerprint())) {
                gone.add(entry);
            }
        }
        gone.sort(Comparator.comparing(Entry::path).thenComparing(Entry::fingerprint));
        return gone;
    }

    /**
     * The files this scan looked at in full, so that a finding missing from them is gone: the files its
     * units analysed ({@code JobPlan.analysed}) less every file the scanner or an analyzer reports as
     * (partly) not analysed, the old names of renamed files among them, and the files it saw deleted.
     * Nothing when a planned unit sent no result: which files that unit held is not known here.
     */
    public static Set<String> covered(Publication publication) {
        JobPlan plan = publication.plan();
        if (!publication.receivedUnitIds().containsAll(plan.unitIds())) {
            return Set.of();
        }
        Set<String> covered = new HashSet<>(plan.analysed());
        plan.notAnalyzed().forEach(n -> covered.remove(n.path()));
        publication.review().notAnalyzed().forEach(n -> covered.remove(n.path()));
        // a renamed file's old name is gone once the file was analysed under its new one
        plan.renamed().forEach((now, before) -> {
            if (covered.contains(now)) {
                covered.add(before);
            }
        });
        covered.addAll(plan.deleted());
        return covered;
    }

    /**
     * Closes the open issues of findings that are gone, each with a comment naming the scan that no longer
     * finds it. An issue no longer open (closed by someone) or no longer carrying drep's marker is left as
     * it is. The issue is closed and recorded as resolved before it is commented on: a retry after a
     * failure in between does not comment twice (it may not comment at all).
     */
    private void closeGone(Publication publication, ReviewPlatform platform, PlatformTarget target, List<Entry> gone,
            Map<String, PostedItem> open) {
        String scope = ScopeKeys.issues(target.ref());
        for (Entry entry : gone) {
            PostedItem issue = open.get(entry.fingerprint());
            if (issue == null || (entry.platformId() != null && !entry.platformId().equals(issue.id()))) {
                continue;
            }
            String head = publication.review().head() != null ? publication.review().head() : publication.plan().head();
            platform.closeIssue(target, issue.id());
            ledger.record(scope, entry.fingerprint(), State.RESOLVED, publication.jobId(), issue.id(), issue.url(),
                    "closed: the scan at " + head + " no longer finds it");
            try {
                platform.commentOnIssue(target, issue.id(), BodyLimit.fit(closingComment(entry.path(), head,
                        publication.plan()), platform.maxBodyLength()));
            } catch (PlatformException e) {
                if (e.kind() != PlatformException.Kind.REJECTED) {
                    throw e;
                }
                LOG.warnf("job %s: closed issue %s without a comment: %s", publication.jobId(), issue.id(), e.getMessage());
            }
            LOG.infof("job %s: closed %s issue %s: %s no longer has the finding", publication.jobId(),
                    ScopeKeys.describe(target.ref()), issue.id(), entry.path());
        }
    }

    static String closingComment(String path, String head, JobPlan plan) {
        String renamedTo = plan.renamed().entrySet().stream().filter(e -> e.getValue().equals(path))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        String where = plan.deleted().contains(path) ? ": " + Markdown.code(path) + " was deleted"
                : renamedTo != null ? ": " + Markdown.code(path) + " was renamed to " + Markdown.code(renamedTo)
                : " in " + Markdown.code(path);
        return "drep's scan at " + Markdown.code(head == null ? "(unknown)" : head) + " no longer finds this" + where
                + ", so drep closes the issue.\n\n<sub>Should the finding come back, a later scan opens a new issue.</sub>\n";
    }

    /** The issue's title: plain text on the platforms, so mentions get a word joiner rather than a code span. */
    static String title(Finding finding, PostedText text) {
        String title = "drep: " + finding.rule() + " in " + finding.path() + ": " + text.plain(finding.message());
        return title.length() <= MAX_TITLE ? title : title.substring(0, MAX_TITLE - 1) + "…";
    }

    private static String body(Fingerprinted f, Publication publication) {
        Finding finding = f.finding();
        String location = finding.location();
        String head = publication.review().head();
        return CommentBodies.finding(finding, f.fingerprint(), SuggestionStyle.PLAIN)
                + "\nFound in " + Markdown.code(location) + (head == null ? "" : " at " + Markdown.code(head))
                + " by drep's scan of " + Markdown.code(publication.review().repository() == null ? ""
                        : publication.review().repository())
                + ".\n\n<sub>drep opens one issue per finding and does not open it again.</sub>\n";
    }
}
