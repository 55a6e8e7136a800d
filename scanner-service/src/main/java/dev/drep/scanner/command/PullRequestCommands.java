package dev.drep.scanner.command;

import dev.drep.contracts.CommandReply;
import dev.drep.contracts.PullRequestRef;
import dev.drep.core.command.Command;
import dev.drep.core.command.CommandLine;
import dev.drep.core.command.CommandParser;
import dev.drep.core.platform.HostRuleViolation;
import dev.drep.core.platform.Platform;
import dev.drep.scanner.ScannerConfig;
import dev.drep.scanner.job.Job;
import dev.drep.scanner.metrics.ScannerMetrics;
import dev.drep.scanner.planning.PlanningQueue;
import dev.drep.scanner.planning.ReviewPublisher;
import dev.drep.scanner.platform.PlatformProblem;
import dev.drep.scanner.platform.PullRequestInfo;
import dev.drep.scanner.platform.PullRequestLookup;
import dev.drep.scanner.repository.RepositorySnapshot;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs a command given in a pull request comment and has the publisher answer it
 * (docs/architecture.md, "Commands on the pull request"). Steps, none holding a transaction across a platform or
 * publisher call: claim the comment's command ({@link CommandLog}); decide — a closed pull request, a commenter
 * without write access ({@link WritePermissions}), an unknown command each get an answer and nothing else; run it
 * ({@code review}: a job of the head the platform reports, every changed file, caches ignored; {@code pause} /
 * {@code resume}: {@link ReviewPauses}); hand the answer to the publisher; mark the command answered.
 */
@ApplicationScoped
public class PullRequestCommands {
    private static final Logger LOG = Logger.getLogger(PullRequestCommands.class);

    /**
     * What became of a comment.
     *
     * @param status  {@code ignored} (no command), {@code duplicate} (answered before, or being answered),
     *                {@code answered}, or {@code queued} (a review job was created)
     * @param jobId   the review job, or null
     * @param message for the platform's delivery log
     */
    public record Handled(String status, UUID jobId, String message) {
    }

    /**
     * A comment with a command.
     *
     * @param repository   the registered repository
     * @param number       the pull request
     * @param commentKey   the comment's identity ({@code issue_comment:123})
     * @param place        where to answer
     * @param author       the commenter
     * @param authorId     the commenter's numeric id, or null
     * @param body         the comment
     * @param open         whether the pull request is open, or null when the delivery did not say
     */
    public record Comment(RepositorySnapshot repository, int number, String commentKey, CommandReply.CommentPlace place,
            String author, Long authorId, String body, Boolean open) {
    }

    /** What the decision needs to write, then the answer. */
    private record Decision(Command action, String answer, PullRequestInfo pullRequest) {
    }

    private final CommandLog log;
    private final ReviewPauses pauses;
    private final WritePermissions permissions;
    private final PullRequestLookup pullRequests;
    private final PlanningQueue planning;
    private final ReviewPublisher publisher;
    private final ScannerMetrics metrics;
    private final ScannerConfig config;
    private final Vertx vertx;
    private final PullRequestQuestions questions;

    public PullRequestCommands(CommandLog log, ReviewPauses pauses, WritePermissions permissions,
            PullRequestLookup pullRequests, PlanningQueue planning, ReviewPublisher publisher, ScannerMetrics metrics,
            ScannerConfig config, Vertx vertx, PullRequestQuestions questions) {
        this.questions = questions;
        this.log = log;
        this.pauses = pauses;
        this.permissions = permissions;
        this.pullRequests = pullRequests;
        this.planning = planning;
        this.publisher = publisher;
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
    }

    /**
     * Runs the comment's first command, once per comment.
     *
     * @throws PlatformProblem (as a failed Uni) when the platform could not be asked; the command stays unanswered
     */
    public Uni<Handled> handle(Comment comment) {
        List<CommandLine> lines = CommandParser.all(comment.body());
        if (lines.isEmpty()) {
            return Uni.createFrom().item(new Handled("ignored", null, "the comment gives drep no command"));
        }
        RepositorySnapshot repository = comment.repository();
        if (repository.tokenRef() == null) {
            return Uni.createFrom().item(new Handled("ignored", null, repository.fullName() + " is registered without a "
                    + "token (tokenRef): drep cannot answer commands there"));
        }
        CommandLine line = lines.get(0);
        List<CommandLine> others = lines.subList(1, lines.size());
        return log.claim(repository.id(), comment.commentKey(), comment.number(), comment.author(),
                        recorded("/drep " + line.word() + (line.arguments().isEmpty() ? "" : " " + line.arguments())),
                        config.commands().claim())
                .chain(claim -> switch (claim.state()) {
                    case ANSWERED -> Uni.createFrom().item(new Handled("duplicate", claim.jobId(), "the command of "
                            + comment.commentKey() + " was answered before"));
                    case BUSY -> Uni.createFrom().item(new Handled("duplicate", claim.jobId(), "the command of "
                            + comment.commentKey() + " is being answered"));
                    case CLAIMED -> run(comment, line, others, claim.jobId())
                            .onFailure().call(() -> log.release(repository.id(), comment.commentKey()));
                });
    }

    private Uni<Handled> run(Comment comment, CommandLine line, List<CommandLine> others, UUID earlierJob) {
        RepositorySnapshot repository = comment.repository();
        // unordered: a slow platform must not hold up other blocking work of this event loop
        return vertx.executeBlocking(Uni.createFrom().item(() -> decide(comment, line)), false)
                .chain(decision -> act(comment, decision, earlierJob)
                        .chain(handled -> {
                            String answer = CommandAnswers.withIgnored(handled.message(), others);
                            return publisher.reply(reply(comment, answer))
                                    .chain(() -> log.answered(repository.id(), comment.commentKey()))
                                    .invoke(() -> LOG.infof("%s of %s#%d by %s: %s", line.word(), repository.fullName(),
                                            comment.number(), comment.author(), handled.status()))
                                    .replaceWith(new Handled(handled.status(), handled.jobId(), "/drep " + line.word()
                                            + " answered on " + repository.fullName() + "#" + comment.number()));
                        }));
    }

    /** Blocking (platform calls): what the command comes to. */
    private Decision decide(Comment comment, CommandLine line) {
        RepositorySnapshot repository = comment.repository();
        boolean gitlab = repository.platform() == Platform.GITLAB;
        if (Boolean.FALSE.equals(comment.open())) {
            return new Decision(null, CommandAnswers.closed(comment.author(), comment.number(), line, gitlab), null);
        }
        try {
            if (!permissions.mayWrite(repository, comment.author(), comment.authorId())) {
                LOG.infof("/drep %s by %s on %s#%d refused: no write access", line.word(), comment.author(),
                        repository.fullName(), comment.number());
                return new Decision(null, CommandAnswers.refused(comment.author(), repository.fullName(), line), null);
            }
            return switch (line.command()) {
                case HELP -> new Decision(null, CommandAnswers.help(comment.author()), null);
                case UNKNOWN -> new Decision(null, CommandAnswers.JUSTIFY_WORDS.contains(line.word().toLowerCase(
                        java.util.Locale.ROOT)) ? CommandAnswers.justifiedOutsideThread(comment.author(), line)
                        : CommandAnswers.unknown(comment.author(), line), null);
                case PAUSE, RESUME -> new Decision(line.command(), null, null);
                case ASK -> {
                    // no question, or one too long: answered at once, without a model call
                    java.util.Optional<String> refusal = questions.refusal(comment.author(),
                            PullRequestQuestions.question(comment.body()));
                    if (refusal.isPresent()) {
                        yield new Decision(null, refusal.get(), null);
                    }
                    PullRequestInfo info = pullRequests.find(repository, comment.number());
                    yield info.open() ? new Decision(Command.ASK, null, info)
                            : new Decision(null, CommandAnswers.closed(comment.author(), comment.number(), line, gitlab), null);
                }
                case REVIEW, DESCRIBE -> {
                    PullRequestInfo info = pullRequests.find(repository, comment.number());
                    yield info.open() ? new Decision(line.command(), null, info)
                            : new Decision(null, CommandAnswers.closed(comment.author(), comment.number(), line, gitlab), null);
                }
            };
        } catch (HostRuleViolation e) {
            throw new PlatformProblem(e.getMessage(), false);
        }
    }

    /** Writes what the command changes, in one short transaction, and queues a review job's planning. */
    private Uni<Handled> act(Comment comment, Decision decision, UUID earlierJob) {
        RepositorySnapshot repository = comment.repository();
        if (decision.action() == null) {
            return Uni.createFrom().item(new Handled("answered", null, decision.answer()));
        }
        return switch (decision.action()) {
            case PAUSE -> Panache.withTransaction(() -> pauses.pause(repository.id(), comment.number(), comment.author()))
                    .map(paused -> new Handled("answered", null, CommandAnswers.paused(comment.author(), !paused)));
            case RESUME -> Panache.withTransaction(() -> pauses.resume(repository.id(), comment.number()))
                    .map(was -> new Handled("answered", null, CommandAnswers.resumed(comment.author(), was)));
            case REVIEW, DESCRIBE -> review(comment, decision.action(), decision.pullRequest(), earlierJob);
            case ASK -> questions.answer(comment, decision.pullRequest()).map(text -> new Handled("answered", null, text));
            default -> throw new IllegalStateException("no action for " + decision.action());
        };
    }

    /** {@code review}: every file afresh; {@code describe}: the walkthrough into the description, the rest as a push. */
    private Uni<Handled> review(Comment comment, Command command, PullRequestInfo info, UUID earlierJob) {
        RepositorySnapshot repository = comment.repository();
        Uni<Job> job = Panache.withTransaction(() -> (earlierJob == null ? Uni.createFrom().<Job>nullItem()
                : Job.<Job>findById(earlierJob)).chain(earlier -> {
                    if (earlier != null) {
                        return Uni.createFrom().item(earlier); // an earlier attempt created it
                    }
                    Job created = Job.pullRequest(repository.id(), repository.fullName(), comment.number(), info.baseRef(),
                            info.baseSha(), info.headSha(), info.author());
                    created.fullScan = command == Command.REVIEW;
                    created.freshAnalysis = command == Command.REVIEW;
                    created.describeBody = command == Command.DESCRIBE;
                    return created.<Job>persist().call(() -> log.recordJob(repository.id(), comment.commentKey(), created.id));
                }));
        return job.call(created -> planning.enqueue(created.id).invoke(() -> metrics.jobAccepted(created.kind)))
                .map(created -> new Handled("queued", created.id, command == Command.DESCRIBE
                        ? CommandAnswers.describing(comment.author(), created.headCommit, created.id.toString(),
                                repository.platform() == Platform.GITLAB)
                        : CommandAnswers.reviewing(comment.author(), created.headCommit, created.id.toString())));
    }

    /** The command as recorded: a question of /drep ask may be long, the record keeps its start. */
    private static String recorded(String command) {
        return command.length() > 200 ? command.substring(0, 200) + "…" : command;
    }

    private static CommandReply reply(Comment comment, String answer) {
        RepositorySnapshot repository = comment.repository();
        PullRequestRef ref = new PullRequestRef(repository.platform().id(), repository.apiUrl(), repository.fullName(),
                repository.projectId(), comment.number(), null, null, null, repository.tokenRef());
        // the same comment always gets the same reply id: the publisher posts it once
        String replyId = UUID.nameUUIDFromBytes((repository.id() + "/" + comment.commentKey())
                .getBytes(StandardCharsets.UTF_8)).toString();
        return new CommandReply(replyId, ref, comment.place(), answer);
    }
}
