package dev.drep.scanner.feedback;

import dev.drep.contracts.CommandReply.CommentPlace;
import dev.drep.contracts.JustifiedReply;
import dev.drep.contracts.PullRequestRef;
import dev.drep.core.feedback.Justification;
import dev.drep.core.platform.HostRuleViolation;
import dev.drep.core.platform.Platform;
import dev.drep.scanner.command.PullRequestCommands.Handled;
import dev.drep.scanner.command.WritePermissions;
import dev.drep.scanner.planning.ReviewPublisher;
import dev.drep.scanner.platform.PlatformProblem;
import dev.drep.scanner.platform.PullRequestLookup;
import dev.drep.scanner.repository.RepositorySnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Replies in the threads of drep's inline findings that justify the code (docs/architecture.md, "Justified
 * findings"): a reply {@link Justification} recognises, by the pull request's author or someone with write access, is
 * handed to the publisher, which records the thread's finding justified when the thread is drep's. Anything else is
 * not a justification and goes on to the commands.
 */
@ApplicationScoped
public class ThreadReplies {
    private static final Logger LOG = Logger.getLogger(ThreadReplies.class);

    /**
     * A new comment on a pull request.
     *
     * @param commentKey {@code review_comment:123}, {@code note:456}, {@code issue_comment:789}
     * @param place      where it was given (a GitHub diff comment's thread, a GitLab discussion, a conversation)
     */
    public record Reply(RepositorySnapshot repository, int number, String commentKey, CommentPlace place, String author,
            Long authorId, String body) {
    }

    private final WritePermissions permissions;
    private final PullRequestLookup pullRequests;
    private final ReviewPublisher publisher;
    private final Vertx vertx;

    public ThreadReplies(WritePermissions permissions, PullRequestLookup pullRequests, ReviewPublisher publisher,
            Vertx vertx) {
        this.permissions = permissions;
        this.pullRequests = pullRequests;
        this.publisher = publisher;
        this.vertx = vertx;
    }

    /**
     * @return what became of a justifying reply, or null (as the item) when the comment is not one: it may be a command
     * @throws PlatformProblem (as a failed Uni) when the platform could not be asked who may justify
     */
    public Uni<Handled> handle(Reply reply) {
        RepositorySnapshot repository = reply.repository();
        Optional<CommentPlace> thread = thread(repository.platform(), reply);
        if (thread.isEmpty() || repository.tokenRef() == null) {
            return Uni.createFrom().nullItem();
        }
        Optional<Justification> justification = Justification.of(reply.body());
        if (justification.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        String where = repository.fullName() + "#" + reply.number();
        // unordered: a slow platform must not hold up other blocking work of this event loop
        return vertx.executeBlocking(Uni.createFrom().item(() -> mayJustify(reply)), false).chain(may -> {
            if (!may) {
                LOG.infof("a justifying reply by %s on %s not counted: no write access, not the author", reply.author(),
                        where);
                return Uni.createFrom().item(new Handled("ignored", null, "a reply by " + reply.author() + ", who has "
                        + "no write access to " + repository.fullName() + " and did not open the pull request: not "
                        + "counted as a justification"));
            }
            PullRequestRef ref = new PullRequestRef(repository.platform().id(), repository.apiUrl(),
                    repository.fullName(), repository.projectId(), reply.number(), null, null, null,
                    repository.tokenRef());
            return publisher.justify(new JustifiedReply(reply.commentKey(), ref, thread.get(), reply.author(),
                            justification.get().reason()))
                    .map(recorded -> recorded
                            ? new Handled("justified", null, "the finding of this thread on " + where + " is justified "
                                    + "by " + reply.author() + ": drep does not raise it again on this pull request")
                            // an explicit /drep justified that justified nothing goes on to the commands, which
                            // answer where it belongs (PullRequestCommands); a plain reply stays quietly unrecorded
                            : justification.get().explicit() ? null
                            : new Handled("ignored", null, "a reply in a thread that is not one of drep's findings on "
                                    + where + ": nothing recorded"));
        });
    }

    /** @return the thread a reply may be about: a reply in a GitHub diff thread, a GitLab discussion, a Gitea comment */
    static Optional<CommentPlace> thread(Platform platform, Reply reply) {
        CommentPlace place = reply.place();
        String own = reply.commentKey().substring(reply.commentKey().indexOf(':') + 1);
        return switch (platform) {
            case GITHUB -> CommentPlace.REVIEW_COMMENT.equals(place.kind()) && !own.equals(place.commentId())
                    ? Optional.of(place) : Optional.empty();
            case GITLAB -> CommentPlace.DISCUSSION.equals(place.kind()) && place.discussionId() != null
                    ? Optional.of(place) : Optional.empty();
            // Gitea's comment webhook names no thread: the publisher finds it by the reply's file and line
            case GITEA -> Optional.of(new CommentPlace(CommentPlace.REVIEW_COMMENT, own, null));
        };
    }

    /** Blocking (platform calls): write access (cached), else whether the replier opened the pull request. */
    private boolean mayJustify(Reply reply) {
        try {
            if (permissions.mayWrite(reply.repository(), reply.author(), reply.authorId())) {
                return true;
            }
            String author = pullRequests.find(reply.repository(), reply.number()).author();
            return author != null && author.equalsIgnoreCase(reply.author());
        } catch (HostRuleViolation e) {
            throw new PlatformProblem(e.getMessage(), false);
        }
    }
}
