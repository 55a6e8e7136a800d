package dev.drep.scanner.fetch;

import dev.drep.scanner.ScannerConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps this replica's mirrors small ({@code drep.scanner.mirror-pruning.*}): every interval, each mirror loses the
 * head refs of pull requests no job reviewed lately (the scanner ignores close events, so "not reviewed for
 * {@code pull-request-refs-after}" stands for closed), is garbage-collected, and is deleted when it is still over
 * the size cap. One mirror at a time, under the lock its fetches take.
 */
@ApplicationScoped
public class MirrorPruning {
    private static final Logger LOG = Logger.getLogger(MirrorPruning.class);
    /** Pull requests whose refs stay: reviewed since the cut-off, or with a job still running. */
    private static final String RECENT_PULL_REQUESTS = "SELECT DISTINCT repository_id, pr_number FROM scanner.job "
            + "WHERE kind = 'PULL_REQUEST' AND repository_id IS NOT NULL AND pr_number IS NOT NULL "
            + "AND (created_at > $1 OR status NOT IN ('DONE', 'FAILED'))";

    private final Pool pool;
    private final Vertx vertx;
    private final RepositoryMirrors mirrors;
    private final ScannerConfig.MirrorPruning config;

    public MirrorPruning(Pool pool, Vertx vertx, RepositoryMirrors mirrors, ScannerConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.mirrors = mirrors;
        this.config = config.mirrorPruning();
    }

    @Scheduled(identity = "drep-mirror-pruning", every = "${drep.scanner.mirror-pruning.interval:6h}", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pruneAll() {
        return prune(Instant.now())
                .onFailure().invoke(failure -> LOG.warnf("pruning the repository mirrors failed (retried in %s): %s",
                        config.interval(), failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** @return how many mirrors were deleted for their size */
    public Uni<Integer> prune(Instant now) {
        Tuple cutOff = Tuple.of(now.minus(config.pullRequestRefsAfter()).atOffset(ZoneOffset.UTC));
        return pool.preparedQuery(RECENT_PULL_REQUESTS).execute(cutOff).map(rows -> {
            Map<UUID, Set<Integer>> keep = new HashMap<>();
            for (Row row : rows) {
                keep.computeIfAbsent(row.getUUID("repository_id"), id -> new HashSet<>()).add(row.getInteger("pr_number"));
            }
            return keep;
        }).chain(keep -> vertx.executeBlocking(Uni.createFrom().item(() -> pruneMirrors(keep))));
    }

    private int pruneMirrors(Map<UUID, Set<Integer>> keep) {
        int deleted = 0;
        for (UUID repositoryId : mirrors.mirrored()) {
            try {
                RepositoryMirrors.Pruned pruned = mirrors.prune(repositoryId, keep.getOrDefault(repositoryId, Set.of()),
                        config.maxMirrorSize().asLongValue());
                if (pruned.deleted()) {
                    deleted++;
                }
                LOG.debugf("mirror of %s pruned: %d pull request refs deleted, %d bytes%s", repositoryId,
                        pruned.refsDeleted(), pruned.bytesAfter(), pruned.deleted() ? ", deleted over the cap" : "");
            } catch (RuntimeException e) {
                // one broken mirror does not stop the others; the next fetch of its repository reports it
                LOG.warnf("could not prune the mirror of repository %s: %s", repositoryId, e.getMessage());
            }
        }
        return deleted;
    }
}
