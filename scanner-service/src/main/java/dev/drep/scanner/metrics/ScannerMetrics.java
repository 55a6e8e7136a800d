package dev.drep.scanner.metrics;

import dev.drep.contracts.JobStatus;
import dev.drep.scanner.job.JobKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The scanner's meters, named {@code drep.scanner.*} (Prometheus: {@code drep_scanner_*}; listed in
 * docs/observability.md): jobs accepted and finished, counted by this replica, and the jobs not yet
 * final with the age of the oldest, read from the job table every
 * {@code drep.scanner.metrics.refresh-interval} (see {@code ScannerConfig.Metrics}), so every replica reports
 * the same, database-wide values.
 */
@ApplicationScoped
public class ScannerMetrics {
    private static final Logger LOG = Logger.getLogger(ScannerMetrics.class);
    private static final String PLAN_REQUESTS = "drep.scanner.plan-requests";
    private static final List<JobStatus> UNFINISHED = List.of(JobStatus.QUEUED, JobStatus.ANALYZING, JobStatus.PUBLISHING);

    private final MeterRegistry registry;
    private final Pool pool;
    private final Map<JobStatus, AtomicLong> unfinished = new EnumMap<>(JobStatus.class);
    private final Map<JobStatus, AtomicLong> oldestSeconds = new EnumMap<>(JobStatus.class);

    /**
     * @param registry        Micrometer
     * @param pool            the reactive PostgreSQL pool, for the job gauges
     */
    public ScannerMetrics(MeterRegistry registry, Pool pool) {
        this.registry = registry;
        this.pool = pool;
        for (JobStatus status : UNFINISHED) {
            AtomicLong count = new AtomicLong();
            AtomicLong age = new AtomicLong();
            unfinished.put(status, count);
            oldestSeconds.put(status, age);
            Gauge.builder("drep.scanner.jobs.unfinished", count, AtomicLong::get).tag("status", label(status))
                    .description("Jobs in this status (all replicas, from the database)").register(registry);
            Gauge.builder("drep.scanner.jobs.oldest.age", age, AtomicLong::get).tag("status", label(status))
                    .baseUnit("seconds").description("Age of the oldest job in this status; 0 when there is none")
                    .register(registry);
        }
        // every series exists from the start, so that rates and alerts see a 0 rather than nothing
        deadLetters(PLAN_REQUESTS).increment(0);
        for (JobKind kind : JobKind.values()) {
            accepted(kind).increment(0);
            for (JobStatus status : List.of(JobStatus.DONE, JobStatus.FAILED)) {
                finished(kind, status).increment(0);
            }
        }
    }


    /**
     * A message the broker dead-lettered was taken from its dead-letter queue.
     *
     * @param queue the queue it was dead-lettered from, e.g. {@code drep.scanner.plan-requests}
     */
    public void deadLetter(String queue) {
        deadLetters(queue).increment();
    }

    private Counter deadLetters(String queue) {
        return Counter.builder("drep.scanner.dead.letters").tag("queue", queue)
                .description("Dead-lettered messages taken from a dead-letter queue, by the queue they died on")
                .register(registry);
    }

    /** A job was accepted (by the API, a webhook or a scan request). */
    public void jobAccepted(JobKind kind) {
        accepted(kind).increment();
    }

    /** A job reached a final status (DONE or FAILED). */
    public void jobFinished(JobKind kind, JobStatus status) {
        if (status.isFinal()) {
            finished(kind, status).increment();
        }
    }

    private Counter accepted(JobKind kind) {
        return Counter.builder("drep.scanner.jobs.accepted").tag("kind", label(kind))
                .description("Jobs accepted by this replica").register(registry);
    }

    private Counter finished(JobKind kind, JobStatus status) {
        return Counter.builder("drep.scanner.jobs.finished").tag("kind", label(kind)).tag("outcome", label(status))
                .description("Jobs that reached a final status on this replica").register(registry);
    }

    @Scheduled(identity = "drep-scanner-job-gauges", every = "${drep.scanner.metrics.refresh-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query("SELECT status, count(*) AS jobs, EXTRACT(EPOCH FROM now() - min(created_at)) AS oldest "
                        + "FROM scanner.job WHERE status IN ('QUEUED', 'ANALYZING', 'PUBLISHING') GROUP BY status")
                .execute()
                .invoke(rows -> {
                    Map<JobStatus, long[]> seen = new EnumMap<>(JobStatus.class);
                    for (Row row : rows) {
                        Number oldest = row.getNumeric("oldest");
                        seen.put(JobStatus.valueOf(row.getString("status")),
                                new long[] {row.getLong("jobs"), oldest == null ? 0 : Math.max(0, oldest.longValue())});
                    }
                    for (JobStatus status : UNFINISHED) {
                        long[] values = seen.getOrDefault(status, new long[2]);
                        unfinished.get(status).set(values[0]);
                        oldestSeconds.get(status).set(values[1]);
                    }
                })
                .onFailure().invoke(failure -> LOG.debugf("job gauges not refreshed: %s", failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** {@code pull_request}, {@code done}: enum names as Prometheus label values. */
    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
