package dev.drep.publisher.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobEvent;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.LineEdit;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Review;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.UnitUsage;
import dev.drep.core.review.ReviewComposer;
import dev.drep.core.review.UntouchedFindings;
import dev.drep.publisher.posting.FindingFingerprints;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Decides when a job's results are all in, composes the review and stores it (the outbox), reporting
 * progress to the scanner, then hands it to {@link ReviewPosting}. The job row is locked while deciding,
 * so two results arriving together can never compose the review twice.
 */
@ApplicationScoped
public class ReviewCompletion {
    private static final Logger LOG = Logger.getLogger(ReviewCompletion.class);
    /** Key of the job id in the log context (MDC): {@code mdc.jobId} in JSON logs. */
    public static final String JOB_LOG_KEY = "jobId";
    /** the source name of the publisher's stage spans */
    static final String SOURCE = "publisher";
    /** the analyzer name of the findings an incremental review carries over from the previous one */
    static final String CARRIED_OVER = "carried-over";
    /** reservation findings are the scanner's, checked again for every review: never carried over */
    private static final String RESERVATION_RULE = "reservation.conflict";
    /** the unit id prefix of the findings kept because a push left their lines alone */
    static final String UNTOUCHED = "untouched-lines-";

    private final ObjectMapper json;
    private final MutinyEmitter<String> events;
    private final ReviewPosting posting;
    private final ReviewComposer composer = new ReviewComposer();

    public ReviewCompletion(ObjectMapper json, @Channel("job-events") MutinyEmitter<String> events,
            ReviewPosting posting) {
        this.json = json;
        this.events = events;
        this.posting = posting;
    }

    private record Step(JobEvent progress, boolean publish) {
    }

    /** Reports progress for the job, and composes and posts its review when every unit is in. */
    public Uni<Void> check(String jobId) {
        return Panache.withTransaction(() -> TrackedJob.<TrackedJob>findById(jobId, LockModeType.PESSIMISTIC_WRITE)
                .chain(job -> {
                    if (job == null || job.stage != TrackedJob.Stage.GATHERING) {
                        return Uni.createFrom().<Step>nullItem();
                    }
                    return ReceivedResult.<ReceivedResult>list("jobId", jobId).chain(received -> {
                        if (received.size() < job.unitsTotal) {
                            return Uni.createFrom().item(new Step(new JobEvent(jobId, JobStatus.ANALYZING,
                                    received.size(), job.unitsTotal, Map.of(), List.of(), null), false));
                        }
                        job.publishingStartedAt = Instant.now();
                        JobPlan registered = read(job.plan, JobPlan.class);
                        return carriedOver(job, registered).map(carried -> {
                            List<UnitResult> results = results(received);
                            JobPlan plan = registered;
                            if (carried == null && registered.changesSincePrevious() != null) {
                                // the previous review is gone: which earlier findings stand cannot be told, so
                                // none is marked fixed (PullRequestPublisher.resolveFixed)
                                plan = registered.withChangesSincePrevious(null);
                                job.plan = write(plan);
                            }
                            if (carried != null) {
                                UnitResult untouched = untouched(job.jobId, registered, results, carried.earlier());
                                if (untouched != null) {
                                    results.add(untouched);
                                }
                                results.add(carried.result());
                                if (!carried.skippedByScanner().isEmpty()) {
                                    // skipped on purpose when first planned (binary, too large, ...): still not
                                    // analysed, and still not a gap; the stored plan says so for the verdict
                                    plan = withSkipped(registered, carried.skippedByScanner());
                                    job.plan = write(plan);
                                }
                            }
                            job.review = write(composer.compose(plan, results));
                            job.stage = TrackedJob.Stage.PUBLISHING;
                            return new Step(new JobEvent(jobId, JobStatus.PUBLISHING, received.size(), job.unitsTotal,
                                    Map.of(), List.of(), null), true);
                        });
                    });
                }))
                .chain(step -> {
                    if (step == null) {
                        return Uni.createFrom().voidItem();
                    }
                    Uni<Void> reported = send(step.progress());
                    return step.publish() ? reported.invoke(() -> posting.publishInBackground(jobId)) : reported;
                });
    }

    /**
     * What an incremental review carries over from the previous review of the pull request.
     *
     * @param result           the carried-over files' findings and what an analyzer could not analyse in them,
     *                         as one more result for the composer
     * @param skippedByScanner carried-over files the scanner skipped on purpose when they were planned
     */
    private record CarriedOver(UnitResult result, List<NotAnalyzed> skippedByScanner, List<Finding> earlier) {
    }

    /**
     * Follow-ups (issue 17): an inline finding of the previous review in a file this push analysed again,
     * which the analyzers did not report this time although the push left its lines alone, still stands — a model
     * that does not repeat itself has not fixed anything. It is kept, moved to where its lines are now
     * ({@link UntouchedFindings}), so its thread stays open and the summary lists it as still open; only a finding
     * whose lines changed and that is not found again is marked fixed.
     *
     * @return the kept findings as one more result, or null when there are none
     */
    private static UnitResult untouched(String jobId, JobPlan plan, List<UnitResult> results, List<Finding> earlier) {
        Map<String, List<LineEdit>> changes = plan.changesSincePrevious();
        if (changes == null || earlier.isEmpty()) {
            return null;
        }
        Set<String> analysed = Set.copyOf(plan.analysed());
        Set<String> found = new HashSet<>();
        results.forEach(r -> r.findings().forEach(f -> found.add(FindingFingerprints.identity(f))));
        List<Finding> kept = new ArrayList<>();
        for (Finding finding : earlier) {
            // a file analysed again without a change since (a retry) has no edits: its findings all stand
            List<LineEdit> edits = changes.getOrDefault(finding.path(), List.of());
            if (finding.line() >= 1 && analysed.contains(finding.path())
                    && !found.contains(FindingFingerprints.identity(finding))) {
                UntouchedFindings.moved(finding, edits).ifPresent(kept::add);
            }
        }
        if (kept.isEmpty()) {
            return null;
        }
        LOG.infof("job %s: %d findings of the previous review not reported again on lines this push did not change: kept",
                jobId, kept.size());
        return new UnitResult(UNTOUCHED + jobId, jobId, CARRIED_OVER, kept, List.of(), 0, List.of(), UnitUsage.NONE,
                List.of());
    }

    /**
     * An incremental review analyses only the files changed since the previous review (and those the previous
     * review could not analyse); the files carried over keep the previous review's findings and its "not
     * analysed" entries, which this returns (null when there is nothing to carry). A carried-over file an analyzer
     * could not analyse stays a gap, so the verdict is not success until an analysis of it succeeds: the scanner
     * plans such files again on every push (it learns them from the final event's {@code retryFiles}), and
     * carrying them here keeps that true for plans that still carry one over. Findings were posted with the
     * previous review, so their fingerprints keep them from being posted twice; the summary and its counts
     * show them again.
     */
    private Uni<CarriedOver> carriedOver(TrackedJob job, JobPlan plan) {
        if (plan.previousHead() == null || job.scopeKey == null
                || plan.carriedOver().isEmpty() && plan.changesSincePrevious() == null) {
            return Uni.createFrom().nullItem();
        }
        return TrackedJob.<TrackedJob>find("scopeKey = ?1 and headSha = ?2 and stage = ?3 order by publishedAt desc",
                        job.scopeKey, plan.previousHead(), TrackedJob.Stage.PUBLISHED)
                .firstResult()
                .map(previous -> {
                    if (previous == null || previous.review == null) {
                        LOG.infof("job %s: no published review at %s to carry findings over from", job.jobId,
                                plan.previousHead());
                        return null;
                    }
                    Review earlier = read(previous.review, Review.class);
                    Set<NotAnalyzed> skippedEarlier = Set.copyOf(read(previous.plan, JobPlan.class).notAnalyzed());
                    Set<String> files = Set.copyOf(plan.carriedOver());
                    List<Finding> inline = earlier.findings().stream().filter(f -> files.contains(f.path())).toList();
                    List<Finding> summary = earlier.summaryFindings().stream().filter(f -> files.contains(f.path())
                            && !RESERVATION_RULE.equals(f.rule())).toList();
                    List<NotAnalyzed> notAnalysed = earlier.notAnalyzed().stream()
                            .filter(n -> files.contains(n.path())).toList();
                    List<NotAnalyzed> gaps = notAnalysed.stream().filter(n -> !skippedEarlier.contains(n)).toList();
                    List<NotAnalyzed> skipped = notAnalysed.stream().filter(skippedEarlier::contains).toList();
                    if (!gaps.isEmpty()) {
                        LOG.infof("job %s: %d carried-over files were not analysed by the review of %s either: %s",
                                job.jobId, gaps.size(), plan.previousHead(),
                                gaps.stream().map(NotAnalyzed::path).distinct().collect(Collectors.joining(", ")));
                    }
                    Set<String> analysedNow = plan.changesSincePrevious() == null ? Set.of() : Set.copyOf(plan.analysed());
                    List<Finding> earlierInAnalysed = earlier.findings().stream()
                            .filter(f -> analysedNow.contains(f.path())).toList();
                    return new CarriedOver(new UnitResult(CARRIED_OVER + previous.jobId, job.jobId, CARRIED_OVER, inline,
                            gaps, 0, summary, UnitUsage.NONE, List.of()), skipped, earlierInAnalysed);
                });
    }

    /** @return {@code plan} naming {@code skipped} among the files the scanner skipped */
    private static JobPlan withSkipped(JobPlan plan, List<NotAnalyzed> skipped) {
        List<NotAnalyzed> all = new ArrayList<>(plan.notAnalyzed());
        skipped.stream().filter(n -> !all.contains(n)).forEach(all::add);
        return new JobPlan(plan.jobId(), plan.repository(), plan.base(), plan.head(), plan.unitIds(), all,
                plan.deleted(), plan.target(), plan.settings(), plan.notes(), plan.findings(), plan.previousHead(),
                plan.carriedOver(), plan.analysed(), plan.renamed(), plan.changesSincePrevious());
    }

    private List<UnitResult> results(List<ReceivedResult> received) {
        List<UnitResult> results = new ArrayList<>(received.size());
        for (ReceivedResult r : received) {
            results.add(read(r.payload, UnitResult.class));
        }
        return results;
    }

    private Uni<Void> send(JobEvent event) {
        return events.send(write(event));
    }

    private <T> T read(String text, Class<T> type) {
        return StoredJson.read(json, text, type);
    }

    private String write(Object value) {
        return StoredJson.write(json, value);
    }
}
