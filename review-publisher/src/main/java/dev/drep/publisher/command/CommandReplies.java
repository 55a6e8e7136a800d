package dev.drep.publisher.command;

import dev.drep.contracts.CommandReply;
import dev.drep.publisher.job.PublicationClaims;
import dev.drep.publisher.platform.PlatformTarget;
import dev.drep.publisher.platform.Platforms;
import dev.drep.publisher.platform.PostedItem;
import dev.drep.publisher.platform.PostingLease;
import dev.drep.publisher.platform.PublisherConfig;
import dev.drep.publisher.platform.ReviewPlatform;
import dev.drep.publisher.platform.TokenResolver;
import dev.drep.publisher.posting.BodyLimit;
import dev.drep.publisher.posting.ScopeKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Posts drep's answers to pull request commands exactly once, the way reviews are posted ("Delivery guarantees"):
 * claim the reply in a short statement (table {@code publisher.command_reply}, recorded SENDING), post it holding no
 * connection and under a {@link PostingLease}, then record it POSTED. A reply found SENDING from an earlier attempt
 * is first looked for on the platform by its hidden marker, so a poster that died after the platform took the
 * comment never posts it twice.
 */
@ApplicationScoped
public class CommandReplies {
    private static final Logger LOG = Logger.getLogger(CommandReplies.class);
    /** a request is not started unless the lease outlasts it by this much (as for reviews) */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    /** What became of a request to post a reply. */
    public enum Outcome {
        /** posted now, or found posted by an earlier request */
        POSTED,
        /** another request is posting it right now */
        BUSY
    }

    private final Pool pool;
    private final Platforms platforms;
    private final TokenResolver tokens;
    private final Vertx vertx;
    private final PublisherConfig config;
    private final String owner;

    public CommandReplies(Pool pool, Platforms platforms, TokenResolver tokens, Vertx vertx, PublisherConfig config,
            PublicationClaims claims) {
        this.pool = pool;
        this.platforms = platforms;
        this.tokens = tokens;
        this.vertx = vertx;
        this.config = config;
        this.owner = claims.owner();
    }

    /** @return the reply's hidden marker, by which a resumed post finds it on the platform */
    public static String marker(String replyId) {
        return "<!-- drep:reply:" + replyId + " -->";
    }

    /**
     * Posts the reply unless it was posted before.
     *
     * @throws dev.drep.publisher.platform.PlatformException when the platform fails (the reply stays SENDING and a
     *     later request for it looks for it first)
     */
    public Uni<Outcome> post(CommandReply reply) {
        Duration lease = config.claim().lease();
        return claim(reply, lease).chain(attempt -> {
            if (attempt.isEmpty()) {
                return Uni.createFrom().item(Outcome.BUSY);
            }
            if (attempt.get() == 0) {
                return Uni.createFrom().item(Outcome.POSTED);
            }
            PostingLease posting = new PostingLease(reply.replyId(), lease.minus(MARGIN));
            return vertx.executeBlocking(Uni.createFrom().item(() -> posting.during(() -> send(reply, attempt.get() > 1))), false)
                    .chain(id -> settle(reply.replyId(), id))
                    .onFailure().call(() -> release(reply.replyId()))
                    .replaceWith(Outcome.POSTED);
        });
    }

    /**
     * @return empty when another request holds the reply; 0 when it is posted already; else this attempt's number
     *     (1 for the first)
     */
    private Uni<Optional<Integer>> claim(CommandReply reply, Duration lease) {
        return pool.withTransaction(connection -> connection.preparedQuery("INSERT INTO publisher.command_reply (reply_id,"
                        + " pull_request, state, created_at) VALUES ($1, $2, 'SENDING', now()) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(reply.replyId(), ScopeKeys.pullRequest(reply.pullRequest())))
                .chain(() -> connection.preparedQuery("UPDATE publisher.command_reply SET claimed_by = $2,"
                                + " claim_expires_at = now() + $3 * interval '1 millisecond', attempts = attempts + 1"
                                + " WHERE reply_id = $1 AND state = 'SENDING'"
                                + " AND (claim_expires_at IS NULL OR claim_expires_at < now()) RETURNING attempts")
                        .execute(Tuple.of(reply.replyId(), owner, lease.toMillis())))
                .chain(claimed -> {
                    if (claimed.size() == 1) {
                        Row row = claimed.iterator().next();
                        return Uni.createFrom().item(Optional.of(row.getInteger("attempts")));
                    }
                    return connection.preparedQuery("SELECT state FROM publisher.command_reply WHERE reply_id = $1")
                            .execute(Tuple.of(reply.replyId()))
                            .map(rows -> "POSTED".equals(rows.iterator().next().getString("state"))
                                    ? Optional.of(0) : Optional.<Integer>empty());
                }));
    }

    /** Blocking: looks for an earlier attempt's comment when there was one, else posts. @return the comment's id */
    private String send(CommandReply reply, boolean triedBefore) {
        ReviewPlatform platform = platforms.get(reply.pullRequest().platform());
        PlatformTarget target = new PlatformTarget(reply.pullRequest(), tokens.resolve(reply.pullRequest().tokenRef()),
                Duration.ZERO, config.http().timeout());
        String marker = marker(reply.replyId());
        if (triedBefore) {
            for (String body : platform.replyBodies(target)) {
                if (body != null && body.contains(marker)) {
                    LOG.infof("reply %s was posted by an earlier attempt: not posted again", reply.replyId());
                    return null;
                }
            }
        }
        String body = BodyLimit.fit(reply.body(), platform.maxBodyLength() - marker.length() - 2) + "\n\n" + marker;
        PostedItem posted = platform.reply(target, reply.replyTo(), body);
        LOG.infof("reply %s posted on %s", reply.replyId(), ScopeKeys.describe(reply.pullRequest()));
        return posted.id();
    }

    private Uni<Void> settle(String replyId, String platformId) {
        return pool.preparedQuery("UPDATE publisher.command_reply SET state = 'POSTED', platform_id = $3, posted_at = now(),"
                        + " claimed_by = NULL, claim_expires_at = NULL WHERE reply_id = $1 AND claimed_by = $2")
                .execute(Tuple.of(replyId, owner, platformId))
                .replaceWithVoid();
    }

    private Uni<Void> release(String replyId) {
        return pool.preparedQuery("UPDATE publisher.command_reply SET claimed_by = NULL, claim_expires_at = NULL"
                        + " WHERE reply_id = $1 AND claimed_by = $2")
                .execute(Tuple.of(replyId, owner))
                .replaceWithVoid();
    }
}
