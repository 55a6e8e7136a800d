package dev.drep.scanner.planning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.WorkUnit;
import dev.drep.core.git.LocalRepositories;
import dev.drep.core.git.RevisionRange;
import dev.drep.scanner.ScannerConfig;
import dev.drep.scanner.job.Job;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Plans queued jobs: lists the changes with JGit (on a worker thread), registers the plan with the
 * review-publisher, publishes the work units, and moves the job to ANALYZING. A job that cannot be
 * planned ends FAILED with the reason; a redelivered request for a job already planned is a no-op.
 */
@ApplicationScoped
public class PlanningConsumer {
    private static final Logger LOG = Logger.getLogger(PlanningConsumer.class);

    private final Vertx vertx;
    private final ObjectMapper json;
    private final ReviewPublisher publisher;
    private final MutinyEmitter<String> workUnits;
    private final WorkPlanner planner;
    private final IgnoreRulesSource ignoreRules;

    public PlanningConsumer(Vertx vertx, ObjectMapper json, ReviewPublisher publisher,
            @Channel("work-units") MutinyEmitter<String> workUnits, ScannerConfig config, IgnoreRulesSource ignoreRules) {
        this.vertx = vertx;
        this.json = json;
        this.publisher = publisher;
        this.workUnits = workUnits;
        this.planner = new WorkPlanner(config.maxFileBytes(), config.filesPerUnit());
        this.ignoreRules = ignoreRules;
    }

    @Incoming("plan-requests")
    public Uni<Void> plan(String jobIdText) {
        UUID jobId;
        try {
            jobId = UUID.fromString(jobIdText.trim());
        } catch (RuntimeException e) {
            LOG.errorf("dropping a planning request with an invalid job id '%s'", jobIdText);
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(() -> Job.<Job>findById(jobId)).chain(job -> {
            if (job == null) {
                LOG.warnf("planning request for unknown job %s acknowledged and dropped", jobId);
                return Uni.createFrom().voidItem();
            }
            if (job.status != JobStatus.QUEUED) {
                return Uni.createFrom().voidItem(); // planned already: a redelivery
            }
            return planJob(job).onFailure().recoverWithUni(failure -> fail(jobId, failure));
        });
    }

    private Uni<Void> planJob(Job job) {
        String jobId = job.id.toString();
        String display = Path.of(job.repository).getFileName().toString();
        RevisionRange range = new RevisionRange(job.baseCommit, job.headCommit);
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try (Repository git = LocalRepositories.open(Path.of(job.repository))) {
                return planner.plan(git, range, ignoreRules.forRepository(git, job.headCommit), jobId, display);
            }
        })).chain(work -> {
            JobPlan plan = new JobPlan(jobId, display, job.baseCommit, job.headCommit,
                    work.units().stream().map(WorkUnit::unitId).toList(), work.notAnalyzed(), work.deleted(),
                    ReviewTarget.local(job.outputDir));
            return publisher.register(plan)
                    .chain(() -> publishUnits(work.units()))
                    .chain(() -> Panache.withTransaction(() -> Job.<Job>findById(job.id).invoke(j -> {
                        if (j.status == JobStatus.QUEUED) {
                            j.status = JobStatus.ANALYZING;
                            j.unitsTotal = work.units().size();
                        }
                    })))
                    .invoke(() -> LOG.infof("job %s planned: %d units, %d files not analysed, %d deleted", jobId,
                            work.units().size(), work.notAnalyzed().size(), work.deleted().size()))
                    .replaceWithVoid();
        });
    }

    private Uni<Void> publishUnits(List<WorkUnit> units) {
        if (units.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sends = new ArrayList<>(units.size());
        for (WorkUnit unit : units) {
            try {
                sends.add(workUnits.send(json.writeValueAsString(unit)));
            } catch (JsonProcessingException e) {
                return Uni.createFrom().failure(e);
            }
        }
        return Uni.join().all(sends).andFailFast().replaceWithVoid();
    }

    private Uni<Void> fail(UUID jobId, Throwable failure) {
        LOG.errorf("job %s could not be planned: %s", jobId, failure.getMessage());
        return Panache.withTransaction(() -> Job.<Job>findById(jobId).invoke(j -> {
            if (j != null && !j.status.isFinal()) {
                j.finish(JobStatus.FAILED, "could not plan the review: " + failure.getMessage());
            }
        })).replaceWithVoid();
    }
}
