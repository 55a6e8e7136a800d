package dev.drep.scanner.job;

import dev.drep.contracts.JobFailure;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.core.time.Durations;
import dev.drep.scanner.ScannerConfig;
import dev.drep.scanner.metrics.ScannerMetrics;
import dev.drep.scanner.planning.ReviewPublisher;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Every job ends. Every {@code drep.scanner.jobs.watch-interval}, a job that is still QUEUED, ANALYZING or
 * PUBLISHING {@code drep.scanner.jobs.deadline} (30 min) after it was accepted is marked FAILED with the reason and
 * the last known progress ("did not finish within 30m: analysing, 3 of 10 work units done"). For a pull request the
 * review-publisher is then told ({@code PUT /internal/jobs/{id}/failure}), until it has been, so that the pull
 * request's status becomes a failure with the reason instead of pending forever.
 *
 * <p>Each step is one short statement: marking is conditional on the job still being unfinished, so replicas that
 * watch at the same time, or a final event that arrives at the same moment, decide the job once. A final event
 * that arrives after the deadline does not change the FAILED job (the publisher may still post the late review on the
 * pull request; docs/architecture.md, "Delivery guarantees").
 */
@ApplicationScoped
public class JobWatchdog {
    private static final Logger LOG = Logger.getLogger(JobWatchdog.class);
    private static final int BATCH = 100;
    private static final String UNFINISHED = "('QUEUED', 'ANALYZING', 'PUBLISHING')";

    private final Pool pool;
    private final ScannerConfig config;
    private final ScannerMetrics metrics;
    private final ReviewPublisher publisher;

    public JobWatchdog(Pool pool, ScannerConfig config, ScannerMetrics metrics, ReviewPublisher publisher) {
        this.pool = pool;
        this.config = config;
        this.metrics = metrics;
        this.publisher = publisher;
    }

    @Scheduled(identity = "drep-job-watchdog", every = "${drep.scanner.jobs.watch-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> watch() {
        return failOverdueJobs()
                .chain(this::reportFailures)
                .onFailure().invoke(failure -> LOG.warnf("the job watchdog failed (retried at the next interval): %s",
                        failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** @return e.g. {@code did not finish within 30m: analysing, 3 of 10 work units done} */
    static String reason(String deadline, JobStatus status, int unitsDone, int unitsTotal) {
        String where = switch (status) {
            case QUEUED -> "it was never planned (its planning request was lost, or planning failed every time)";
            case ANALYZING -> unitsTotal == 0 ? "it was being planned"
                    : "analysing, " + unitsDone + " of " + unitsTotal + " work units done";
            case PUBLISHING -> "every work unit was done, but the review was not published";
            default -> status.name().toLowerCase();
        };
        return "did not finish within " + deadline + ": " + where;
    }

    /**
     * Ends an unfinished job as FAILED with the reason, without the publisher; a pull request is told by the next
     * watch. Nothing happens to a job that is final already.
     *
     * @return whether this call ended the job
     */
    public Uni<Boolean> fail(UUID id, String reason) {
        return pool.preparedQuery("UPDATE scanner.job SET status = 'FAILED', message = $2, finished_at = now(), "
                        + "report_failure = true, failure_reported_at = CASE WHEN kind = 'PULL_REQUEST' THEN NULL "
                        + "ELSE now() END WHERE id = $1 AND status IN " + UNFINISHED + " RETURNING kind")
                .execute(Tuple.of(id, reason))
                .map(updated -> {
                    for (Row failed : updated) {
                        LOG.warnf("job %s failed: %s", id, reason);
                        metrics.jobFinished(JobKind.valueOf(failed.getString("kind")), JobStatus.FAILED);
                        return true;
                    }
                    return false;
                });
    }

    private Uni<Void> failOverdueJobs() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.jobs().deadline());
        String deadline = Durations.describe(config.jobs().deadline());
        return pool.preparedQuery("SELECT id, status, units_done, units_total FROM scanner.job WHERE status IN "
                        + UNFINISHED + " AND created_at < $1 ORDER BY created_at LIMIT " + BATCH)
                .execute(Tuple.of(cutoff))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(list(rows)))
                .onItem().transformToUniAndConcatenate(row -> {
                    UUID id = row.getUUID("id");
                    String reason = reason(deadline, JobStatus.valueOf(row.getString("status")),
                            row.getInteger("units_done"), row.getInteger("units_total"));
                    return fail(id, reason);
                })
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> reportFailures() {
        return pool.preparedQuery("SELECT j.id, j.message, j.pr_number, j.base_commit, j.start_commit, j.head_commit, "
                        + "r.platform, r.api_url, r.full_name, r.project_id, r.token_ref FROM scanner.job j "
                        + "JOIN scanner.repository r ON r.id = j.repository_id "
                        + "WHERE j.report_failure AND j.failure_reported_at IS NULL ORDER BY j.finished_at LIMIT " + BATCH)
                .execute()
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(list(rows)))
                .onItem().transformToUniAndConcatenate(row -> {
                    UUID id = row.getUUID("id");
                    String head = row.getString("head_commit");
                    PullRequestRef ref = new PullRequestRef(row.getString("platform"), row.getString("api_url"),
                            row.getString("full_name"), row.getString("project_id"), row.getInteger("pr_number"),
                            row.getString("base_commit"), row.getString("start_commit"), head, row.getString("token_ref"));
                    JobFailure failure = new JobFailure(id.toString(), row.getString("message"),
                            ReviewTarget.pullRequest(ref), head);
                    return publisher.failed(failure)
                            .chain(() -> pool.preparedQuery("UPDATE scanner.job SET failure_reported_at = now() WHERE id = $1")
                                    .execute(Tuple.of(id)))
                            .invoke(() -> LOG.infof("review-publisher told that job %s failed without a review", id))
                            .replaceWithVoid()
                            .onFailure().invoke(e -> LOG.warnf("%s; tried again in %s", e.getMessage(),
                                    Durations.describe(config.jobs().watchInterval())))
                            .onFailure().recoverWithNull();
                })
                .collect().last()
                .replaceWithVoid();
    }

    private static List<Row> list(RowSet<Row> rows) {
        List<Row> list = new ArrayList<>();
        rows.forEach(list::add);
        return list;
    }
}
