package dev.drep.publisher.pullrequest;

import dev.drep.contracts.DescribeMode;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineEdit;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.PullRequestRef;
import dev.drep.core.feedback.MessageKeys;
import dev.drep.publisher.feedback.JustifiedFindings;
import dev.drep.publisher.feedback.Reactions;
import dev.drep.publisher.feedback.Learnings;
import dev.drep.publisher.metrics.PublisherMetrics;
import dev.drep.publisher.issues.IssuePublisher;
import dev.drep.publisher.platform.InlineComment;
import dev.drep.publisher.platform.PlatformException;
import dev.drep.publisher.platform.PlatformTarget;
import dev.drep.publisher.platform.Platforms;
import dev.drep.publisher.platform.PostedItem;
import dev.drep.publisher.platform.PublisherConfig;
import dev.drep.publisher.platform.ReviewPlatform;
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
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Posts a review on a pull request: new inline comments, the one summary comment (edited in place),
 * and the status. Runs on a worker thread while this replica holds the job's claim (no database
 * connection or transaction is held meanwhile; see {@code dev.drep.publisher.job.PublicationClaims}).
 *
 * <h2>Exactly once</h2>
 * Each inline comment's fingerprint is recorded as SENDING (committed) before the platform call and as
 * POSTED or REJECTED after it. A finding POSTED in this pull request is never posted again, by this job
 * or by a later push. A SENDING record means a post was cut short (crash, timeout, 5xx): before posting
 * anything, the pull request's comments are searched for the finding's hidden marker, and a comment
 * found there is recorded instead of posted again. The summary comment's id is kept per pull request;
 * when it is unknown or lost it is found again by {@link Markers#SUMMARY}.
 *
 * <h2>What goes inline</h2>
 * The review's inline findings at or above {@code minimumSeverity}, not yet posted, chosen by
 * {@link InlineSelection}: the same message on several lines of a file is one comment, most severe first, at most
 * {@code maxInlineComments} comments per review and {@code maxCommentsPerFile} per file. Findings over a limit,
 * findings the platform rejects (a line outside the diff) and findings without a line are listed in the summary
 * instead. What analyzers wrote reaches the platform only through {@link PostedText}.
 *
 * <h2>Order of pushes</h2>
 * Jobs of the same pull request are serialised by the caller (one claim per pull request at a time). A job older
 * than the one that last wrote the summary (its push was superseded while it ran) posts nothing but its
 * own commit's status, so an old review never overwrites a newer one.
 */
@ApplicationScoped
public class PullRequestPublisher {
    private static final Logger LOG = Logger.getLogger(PullRequestPublisher.class);

    private final Platforms platforms;
    private final TokenResolver tokens;
    private final PostingLedger ledger;
    private final PlatformAttempts attempts;
    private final StatusReporter status;
    private final PublisherConfig config;
    private final JustifiedFindings justified;
    private final Learnings learnings;
    private final Reactions reactions;
    private final PublisherMetrics metrics;

    public PullRequestPublisher(Platforms platforms, TokenResolver tokens, PostingLedger ledger,
            PlatformAttempts attempts, StatusReporter status, PublisherConfig config, JustifiedFindings justified,
            Learnings learnings, Reactions reactions, PublisherMetrics metrics) {
        this.reactions = reactions;
        this.metrics = metrics;
        this.justified = justified;
        this.learnings = learnings;
        this.platforms = platforms;
        this.tokens = tokens;
        this.ledger = ledger;
        this.attempts = attempts;
        this.status = status;
        this.config = config;
    }

    /** Posts the review; see the class documentation. */
    public PublishOutcome publish(Publication publication) {
        PullRequestRef ref = completed(publication.plan().target().pullRequest(), publication.plan());
        String where = ScopeKeys.describe(ref);
        PublishOutcome outcome = attempts.run(publication, where, () -> {
            ReviewPlatform platform = platforms.get(ref.platform());
            PlatformTarget target = new PlatformTarget(ref, tokens.resolve(ref.tokenRef()), config.retry().maxWait(),
                    config.http().timeout());
            return post(publication, platform, target);
        });
        if (outcome instanceof PublishOutcome.Failed) {
            // the job fails (and is logged) in ReviewPosting; the commit must not stay "pending"
            status.failQuietly(publication.jobId(), ref, "drep could not post its review");
        }
        return outcome;
    }

    /** The pull request with the plan's revisions filled in where the scanner left them out. */
    static PullRequestRef completed(PullRequestRef ref, JobPlan plan) {
        String head = ref.headSha() == null || ref.headSha().isBlank() ? plan.head() : ref.headSha();
        String base = ref.baseSha() == null || ref.baseSha().isBlank() ? plan.base() : ref.baseSha();
        return new PullRequestRef(ref.platform(), ref.apiUrl(), ref.repository(), ref.projectId(), ref.number(),
                base, ref.startSha(), head, ref.tokenRef());
    }

    private PublishOutcome post(Publication publication, ReviewPlatform platform, PlatformTarget target) {
        String scope = ScopeKeys.pullRequest(target.ref());
        Optional<PostingLedger.Scope> known = ledger.scope(scope);
        // findings justified by a reply do not fail the check (a 👎, which anyone may give, does not lift one)
        Set<String> justifiedByReply = new HashSet<>();
        justified.of(scope).values().stream().filter(j -> !j.reaction())
                .forEach(j -> justifiedByReply.add(j.fingerprint()));
        ReviewVerdict verdict = ReviewVerdict.of(publication, justifiedByReply);
        if (known.isPresent() && supersedes(known.get(), publication)) {
            LOG.infof("job %s: a newer review of %s is already posted; only this commit's status is set",
                    publication.jobId(), ScopeKeys.describe(target.ref()));
            status.finish(platform, target, publication.jobId(), verdict);
            return new PublishOutcome.Published(known.get().summaryUrl() == null ? List.of()
                    : List.of(known.get().summaryUrl()));
        }

        // 👍/👎 on drep's earlier comments of this pull request: learnings before this review applies them; never waits
        // out a rate limit and never fails the review (Reactions logs and skips)
        reactions.read(platform, new PlatformTarget(target.ref(), target.token(), Duration.ZERO, target.timeout()));
        PostedText text = PostedText.of(publication);
        InlineReport inline = postInline(publication, platform, target, scope, text);
        FollowUps followUps = resolveFixed(publication, platform, target, scope);
        Optional<String> walkthrough = text.walkthrough(publication);
        String body = SummaryComment.render(text.summary(publication) + walkthrough.map(w -> "\n\n" + w).orElse(""),
                inline, followUps, verdict, target.headSha(), platform.maxBodyLength(), text);
        PostedItem summary = upsertSummary(platform, target, known.map(PostingLedger.Scope::summaryId).orElse(null), body);
        ledger.saveSummary(scope, summary.id(), summary.url(), publication.jobId(), publication.jobCreatedAt());
        if (walkthrough.isPresent() && publication.settings().describe() == DescribeMode.BODY) {
            DescriptionWalkthrough.write(platform, target, walkthrough.get(), publication.jobId());
        }
        status.finish(platform, target, publication.jobId(), verdict);

        List<String> outputs = new ArrayList<>();
        outputs.add(summary.url() != null ? summary.url()
                : ScopeKeys.describe(target.ref()) + " comment " + summary.id());
        return new PublishOutcome.Published(outputs);
    }

    private static boolean supersedes(PostingLedger.Scope scope, Publication publication) {
        return scope.lastJobCreated() != null && !publication.jobId().equals(scope.lastJobId())
                && scope.lastJobCreated().isAfter(publication.jobCreatedAt());
    }

    private InlineReport postInline(Publication publication, ReviewPlatform platform, PlatformTarget target,
            String scope, PostedText text) {
        PublishSettings settings = publication.settings();
        String jobId = publication.jobId();
        // fingerprints of the findings as the analyzers wrote them; the text posted is the safe one
        List<Fingerprinted> raw = FindingFingerprints.of(publication.review().findings());
        List<Fingerprinted> all = raw.stream()
                .map(f -> new Fingerprinted(text.finding(f.finding()), f.fingerprint())).toList();
        // message keys of the messages as the analyzers wrote them (the safe text may differ)
        Map<String, String> messageKeys = new HashMap<>();
        raw.forEach(f -> {
            String key = MessageKeys.of(f.finding().message());
            if (key != null) {
                messageKeys.put(f.fingerprint(), key);
            }
        });
        Map<String, Entry> entries = ledger.entries(scope);
        reconcile(platform, target, scope, all, entries);
        // justified on this pull request: never raised again here (docs/architecture.md, "Justified findings")
        Set<String> justifiedHere = justified.of(scope).keySet();
        // rules the repository suppresses (.drep.yaml suppress-rules) or keeps rejecting (learnings): summary only
        Map<String, Integer> learned = learnings.suppressedRules(ScopeKeys.repositoryKey(target.ref()));
        Set<String> configured = new HashSet<>(settings.suppressRules());
        // messages the repository keeps rejecting, whatever their rule (learnings)
        Map<String, Integer> learnedMessages = learnings.suppressedMessages(ScopeKeys.repositoryKey(target.ref()));

        List<Fingerprinted> candidates = new ArrayList<>();
        List<InlineReport.NotPosted> notPosted = new ArrayList<>();
        int belowMinimum = 0;
        int postedNow = 0;
        int postedEarlier = 0;
        Set<List<String>> commentsNow = new HashSet<>();
        Map<String, Integer> perFileNow = new HashMap<>();
        for (Fingerprinted f : all) {
            Entry entry = entries.get(f.fingerprint());
            if (!f.finding().severity().atLeast(settings.minimumSeverity())) {
                belowMinimum++;
            } else if (justifiedHere.contains(f.fingerprint()) && (entry == null || !jobId.equals(entry.jobId()))) {
                continue; // listed under "justified" in the follow-ups
            } else if (entry != null && entry.state() == State.POSTED) {
                if (jobId.equals(entry.jobId())) {
                    postedNow++;
                    // an earlier try of this job: its comments count against the caps (one per message group)
                    if (commentsNow.add(InlineSelection.sameMessageKey(f.finding()))) {
                        perFileNow.merge(f.finding().path(), 1, Integer::sum);
                    }
                } else {
                    postedEarlier++;
                }
            } else if (entry != null && entry.state() == State.REJECTED && jobId.equals(entry.jobId())) {
                // rejected by an earlier try of this job: not tried again (a later push tries again)
                notPosted.add(new InlineReport.NotPosted(f.finding(), rejected(platform, entry.detail())));
            } else if (configured.contains(f.finding().rule())) {
                notPosted.add(new InlineReport.NotPosted(f.finding(), "rule suppressed by .drep.yaml suppress-rules"));
            } else if (learned.containsKey(f.finding().rule())) {
                notPosted.add(new InlineReport.NotPosted(f.finding(), "rule suppressed in this repository: "
                        + learned.get(f.finding().rule()) + " of its findings were justified (learnings)"));
            } else if (learnedMessages.containsKey(messageKeys.getOrDefault(f.fingerprint(), ""))) {
                notPosted.add(new InlineReport.NotPosted(f.finding(), "message suppressed in this repository: "
                        + learnedMessages.get(messageKeys.get(f.fingerprint())) + " findings with this message were "
                        + "justified (learnings)"));
            } else if (f.finding().line() < 1) {
                notPosted.add(new InlineReport.NotPosted(f.finding(), "no line to comment on"));
            } else {
                candidates.add(f);
            }
        }
        InlineSelection.Choice choice = InlineSelection.choose(candidates, settings.maxInlineComments(),
                settings.maxCommentsPerFile(), commentsNow.size(), perFileNow);
        for (Fingerprinted over : choice.overReview()) {
            notPosted.add(new InlineReport.NotPosted(over.finding(),
                    "over the limit of " + settings.maxInlineComments() + " inline comments per review"));
        }
        for (Fingerprinted over : choice.overFile()) {
            notPosted.add(new InlineReport.NotPosted(over.finding(),
                    "over the limit of " + settings.maxCommentsPerFile() + " inline comments per file"));
        }

        AtomicInteger posted = new AtomicInteger();
        int folded = 0;
        if (!choice.comments().isEmpty()) {
            List<InlineComment> comments = new ArrayList<>();
            Map<String, InlineSelection.Comment> byFingerprint = new HashMap<>();
            List<String> sending = new ArrayList<>();
            for (InlineSelection.Comment comment : choice.comments()) {
                Fingerprinted f = comment.first();
                List<CommentBodies.Same> same = comment.sameMessage().stream()
                        .map(o -> new CommentBodies.Same(o.finding(), o.fingerprint())).toList();
                String body = BodyLimit.fit(CommentBodies.finding(f.finding(), f.fingerprint(),
                        platform.suggestionStyle(), same), platform.maxBodyLength());
                comments.add(new InlineComment(f.fingerprint(), f.finding().path(), f.finding().line(),
                        f.finding().endLine(), body, publication.plan().pathAtBase(f.finding().path())));
                byFingerprint.put(f.fingerprint(), comment);
                sending.addAll(comment.fingerprints());
                folded += comment.sameMessage().size();
            }
            ledger.recordAll(scope, sending, State.SENDING, jobId);
            String reviewBody = "drep: " + comments.size() + (comments.size() == 1 ? " new comment" : " new comments")
                    + " on " + Markdown.code(target.headSha()) + ". The summary comment lists the whole review.";
            platform.postInline(target, reviewBody, comments, outcome -> {
                InlineSelection.Comment comment = byFingerprint.get(outcome.comment().fingerprint());
                List<Fingerprinted> covered = new ArrayList<>();
                covered.add(comment.first());
                covered.addAll(comment.sameMessage());
                for (Fingerprinted f : covered) {
                    if (outcome.isRejected()) {
                        ledger.record(scope, f.fingerprint(), State.REJECTED, jobId, null, null, outcome.rejection());
                        notPosted.add(new InlineReport.NotPosted(f.finding(), rejected(platform, outcome.rejection())));
                    } else {
                        ledger.record(scope, f.fingerprint(), State.POSTED, jobId, outcome.platformId(), outcome.url(),
                                null, f.finding().path());
                        ledger.recordOrigin(scope, f.fingerprint(), new PostingLedger.Origin(f.finding().rule(),
                                f.finding().model(), messageKeys.get(f.fingerprint())));
                        posted.incrementAndGet();
                    }
                }
            });
        }
        return new InlineReport(postedNow + posted.get(), postedEarlier, belowMinimum, settings.minimumSeverity(),
                notPosted, folded, choice.overReview().size(), settings.maxInlineComments(), choice.overFile().size(),
                settings.maxCommentsPerFile());
    }

    /**
     * Marks resolved the inline comments of earlier pushes whose finding is fixed: this push analysed the comment's file
     * again ({@link IssuePublisher#covered}: re-analysed in full, or deleted) and the review has no finding with its
     * fingerprint. A comment whose file this push did not analyse (carried over, or not analysed) stays open, as do
     * comments recorded before files were recorded with them. Exactly once: each is recorded RESOLVING (committed)
     * before the platform call and RESOLVED after it; a RESOLVING one found again is resolved again, which the platform
     * takes as a no-op (a resolved thread or discussion; Gitea's note is looked for by its marker first).
     *
     * @return what the summary lists: every comment resolved on this pull request so far, and the findings of earlier
     *     pushes still open
     */
    private FollowUps resolveFixed(Publication publication, ReviewPlatform platform, PlatformTarget target,
            String scope) {
        List<Fingerprinted> all = FindingFingerprints.of(publication.review().findings());
        Set<String> stillFound = new HashSet<>();
        all.forEach(f -> stillFound.add(f.fingerprint()));
        Set<String> covered = IssuePublisher.covered(publication);
        String head = target.headSha();
        Map<String, Entry> entries = ledger.entries(scope);
        List<Entry> fixed = new ArrayList<>();
        // only code this push changed can be fixed by it: a finding on lines it left alone was kept in the review
        // (ReviewCompletion), so missing here means its lines changed; unknown changes (no previous review) fix nothing
        Map<String, List<LineEdit>> changed = publication.plan().changesSincePrevious();
        for (Entry entry : entries.values()) {
            boolean open = entry.state() == State.POSTED || entry.state() == State.RESOLVING;
            boolean codeChanged = entry.state() == State.RESOLVING
                    || changed != null && entry.path() != null && changed.containsKey(entry.path());
            if ((open && !publication.jobId().equals(entry.jobId()) || entry.state() == State.RESOLVING) && codeChanged) {
                if (entry.path() != null && covered.contains(entry.path()) && !stillFound.contains(entry.fingerprint())) {
                    fixed.add(entry);
                }
            }
        }
        fixed.sort(java.util.Comparator.comparing(Entry::path).thenComparing(Entry::fingerprint));
        Map<String, PostingLedger.Origin> origins = fixed.isEmpty() ? Map.of() : ledger.origins(scope);
        for (Entry entry : fixed) {
            ledger.record(scope, entry.fingerprint(), State.RESOLVING, entry.jobId(), entry.platformId(), entry.url(),
                    null, entry.path());
            String noteMarker = Markers.resolved(entry.fingerprint());
            String note = "drep's review of " + Markdown.code(head) + " analysed " + Markdown.code(entry.path())
                    + " again and no longer finds " + (entry.url() != null ? "[this finding](" + entry.url() + ")"
                    : "the finding of its earlier comment") + ": it is fixed.\n\n" + noteMarker + "\n";
            boolean there = platform.resolveInline(target, Markers.finding(entry.fingerprint()), entry.platformId(),
                    BodyLimit.fit(note, platform.maxBodyLength()), noteMarker);
            String detail = (there ? "fixed in " : "fixed (its comment is gone) in ") + head;
            ledger.record(scope, entry.fingerprint(), State.RESOLVED, publication.jobId(), entry.platformId(),
                    entry.url(), detail, entry.path());
            entries.put(entry.fingerprint(), new Entry(entry.fingerprint(), State.RESOLVED, publication.jobId(),
                    entry.platformId(), entry.url(), detail, entry.path()));
            metrics.findingOutcome(origins.get(entry.fingerprint()), "accepted");
            LOG.infof("job %s: %s: drep's comment on %s resolved, its finding is fixed", publication.jobId(),
                    ScopeKeys.describe(target.ref()), entry.path());
        }
        List<FollowUps.Resolved> resolved = entries.values().stream()
                .filter(e -> e.state() == State.RESOLVED && e.path() != null)
                .sorted(java.util.Comparator.comparing(Entry::path).thenComparing(Entry::fingerprint))
                .map(e -> new FollowUps.Resolved(e.path(), e.url(), e.detail())).toList();
        PostedText text = PostedText.of(publication);
        Map<String, JustifiedFindings.Justified> justifiedHere = justified.of(scope);
        List<Finding> open = all.stream().filter(f -> {
            Entry e = entries.get(f.fingerprint());
            return e != null && e.state() == State.POSTED && !publication.jobId().equals(e.jobId())
                    && !justifiedHere.containsKey(f.fingerprint());
        }).map(f -> text.finding(f.finding())).toList();
        Map<String, Finding> found = new HashMap<>();
        all.forEach(f -> found.put(f.fingerprint(), f.finding()));
        List<FollowUps.Justified> justifiedList = justifiedHere.values().stream().map(j -> {
            Entry e = entries.get(j.fingerprint());
            Finding f = found.get(j.fingerprint());
            String location = f != null ? f.location() : e != null && e.path() != null ? e.path() : j.fingerprint();
            return new FollowUps.Justified(location, j.rule(), j.author(), e == null ? null : e.url(), j.reaction());
        }).sorted(java.util.Comparator.comparing(FollowUps.Justified::location)).toList();
        return new FollowUps(resolved, open, justifiedList);
    }

    private static String rejected(ReviewPlatform platform, String reason) {
        return "rejected by " + platform.name() + ": " + reason;
    }

    /**
     * Findings recorded as SENDING may or may not be on the pull request (the post was cut short): look
     * for their markers and record the ones that are there as POSTED, so they are not posted twice.
     */
    private void reconcile(ReviewPlatform platform, PlatformTarget target, String scope, List<Fingerprinted> all,
            Map<String, Entry> entries) {
        List<Fingerprinted> uncertain = all.stream().filter(f -> {
            Entry e = entries.get(f.fingerprint());
            return e != null && e.state() == State.SENDING;
        }).toList();
        if (uncertain.isEmpty()) {
            return;
        }
        Set<String> onPlatform = new HashSet<>();
        for (String body : platform.inlineCommentBodies(target)) {
            onPlatform.addAll(Markers.findings(body));
        }
        for (Fingerprinted f : uncertain) {
            Entry e = entries.get(f.fingerprint());
            if (onPlatform.contains(f.fingerprint())) {
                ledger.record(scope, f.fingerprint(), State.POSTED, e.jobId(), null, null, null, f.finding().path());
                entries.put(f.fingerprint(), new Entry(f.fingerprint(), State.POSTED, e.jobId(), null, null, null));
            } else {
                entries.remove(f.fingerprint());
            }
        }
    }

    /**
     * Edits the summary comment in place: by its recorded id, else the comment carrying the summary
     * marker (the id was lost, e.g. a crash right after creating it), else a new comment. A comment that
     * cannot be edited (deleted, or someone else's comment quoting the marker) is passed over.
     */
    private static PostedItem upsertSummary(ReviewPlatform platform, PlatformTarget target, String knownId, String body) {
        if (knownId != null) {
            Optional<PostedItem> edited = tryEdit(platform, target, knownId, body);
            if (edited.isPresent()) {
                return edited.get();
            }
        }
        for (PostedItem comment : platform.comments(target)) {
            if (comment.body().contains(Markers.SUMMARY) && !comment.id().equals(knownId)) {
                Optional<PostedItem> edited = tryEdit(platform, target, comment.id(), body);
                if (edited.isPresent()) {
                    return edited.get();
                }
            }
        }
        return platform.createComment(target, body);
    }

    /** Edits a comment; empty when it is gone or not drep's to edit (403, 422), so that another is used. */
    private static Optional<PostedItem> tryEdit(ReviewPlatform platform, PlatformTarget target, String id, String body) {
        try {
            return platform.editComment(target, id, body).map(item -> withId(item, id));
        } catch (PlatformException e) {
            boolean notOurs = e.kind() == PlatformException.Kind.REJECTED
                    || (e.kind() == PlatformException.Kind.FAILED && e.status() == 403);
            if (!notOurs) {
                throw e;
            }
            LOG.warnf("summary comment %s on %s cannot be edited (%s); using another", id,
                    ScopeKeys.describe(target.ref()), e.getMessage());
            return Optional.empty();
        }
    }

    private static PostedItem withId(PostedItem item, String id) {
        return item.id() == null || item.id().isEmpty() ? new PostedItem(id, item.url(), item.body()) : item;
    }
}
