package dev.drep.scanner.command;

import dev.drep.contracts.WorkUnit;
import dev.drep.core.command.AskPrompt;
import dev.drep.core.command.Command;
import dev.drep.core.command.CommandLine;
import dev.drep.core.command.CommandParser;
import dev.drep.core.git.ChangeListing;
import dev.drep.core.git.RevisionRange;
import dev.drep.core.llm.ChatOutcome;
import dev.drep.core.llm.ChatRequest;
import dev.drep.core.platform.Platform;
import dev.drep.core.review.UntrustedMarkdown;
import dev.drep.scanner.ScannerConfig;
import dev.drep.scanner.fetch.FetchProblem;
import dev.drep.scanner.fetch.PlatformRefs;
import dev.drep.scanner.fetch.RepositoryMirrors;
import dev.drep.scanner.platform.PlatformProblem;
import dev.drep.scanner.platform.PullRequestInfo;
import dev.drep.scanner.repository.RepositorySnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.jboss.logging.Logger;

/**
 * {@code /drep ask <question>}: the question, the pull request's diff (merge base..head, from the scanner's mirror)
 * and the thread's earlier comments go to the LLM gateway as data (core {@link AskPrompt}), with interactive priority
 * and accounted to the repository; the model's answer is posted made safe ({@link UntrustedMarkdown}: no mention, no
 * marker, no HTML). Whatever fails on the way becomes an answer that says so: the person asking is never left without
 * a reply.
 */
@ApplicationScoped
public class PullRequestQuestions {
    private static final Logger LOG = Logger.getLogger(PullRequestQuestions.class);

    private final RepositoryMirrors mirrors;
    private final PullRequestThreads threads;
    private final LlmGateway gateway;
    private final ScannerConfig.Ask config;
    private final Vertx vertx;

    public PullRequestQuestions(RepositoryMirrors mirrors, PullRequestThreads threads, LlmGateway gateway,
            ScannerConfig config, Vertx vertx) {
        this.mirrors = mirrors;
        this.threads = threads;
        this.gateway = gateway;
        this.config = config.commands().ask();
        this.vertx = vertx;
    }

    /**
     * The question of a comment whose first command is {@code ask}: the rest of the command's line and every line of
     * the comment below it (a question may take a paragraph).
     */
    static String question(String body) {
        Optional<CommandLine> line = CommandParser.first(body);
        if (line.isEmpty() || line.get().command() != Command.ASK) {
            return "";
        }
        String[] lines = body.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String stripped = lines[i].strip();
            if (stripped.toLowerCase(Locale.ROOT).startsWith("/drep") && stripped.substring(5).strip()
                    .toLowerCase(Locale.ROOT).startsWith("ask")) {
                StringBuilder question = new StringBuilder(line.get().arguments());
                for (int j = i + 1; j < lines.length; j++) {
                    question.append('\n').append(lines[j]);
                }
                return question.toString().strip();
            }
        }
        return line.get().arguments();
    }

    /** @return the answer to give at once instead of asking the model (no question, too long), or empty */
    Optional<String> refusal(String author, String question) {
        if (question.isBlank()) {
            return Optional.of(greeting(author) + "`/drep ask` needs a question after it, on the same line or the lines "
                    + "below, e.g. `/drep ask why does parse() return null here?`. drep answers from this pull "
                    + "request's diff and this thread.");
        }
        if (question.length() > config.maxQuestionChars()) {
            return Optional.of(greeting(author) + String.format(Locale.ROOT, "the question is %,d characters long; drep "
                    + "answers questions of at most %,d characters (`drep.scanner.commands.ask.max-question-chars`). "
                    + "Please ask a shorter question.", question.length(), config.maxQuestionChars()));
        }
        return Optional.empty();
    }

    /** @return the answer to post: the model's, made safe, or why there is none */
    Uni<String> answer(PullRequestCommands.Comment comment, PullRequestInfo info) {
        RepositorySnapshot repository = comment.repository();
        String question = question(comment.body());
        return vertx.executeBlocking(Uni.createFrom().item(() -> context(comment, info)), false)
                .chain(context -> {
                    if (context.problem() != null) {
                        return Uni.createFrom().item(greeting(comment.author()) + "drep could not answer: "
                                + context.problem() + ". Ask again once that is fixed.");
                    }
                    AskPrompt.Prompt prompt = AskPrompt.build(question, context.diff(), context.thread(),
                            config.maxDiffChars(), config.maxThreadChars());
                    ChatRequest request = new ChatRequest(prompt.messages(), config.taskClass().name()
                            .toLowerCase(Locale.ROOT), WorkUnit.INTERACTIVE, repository.fullName(), null,
                            config.maxAnswerTokens());
                    return gateway.complete(request, config.timeout())
                            .map(outcome -> text(comment, outcome, prompt, context.threadProblem()));
                });
    }

    private String text(PullRequestCommands.Comment comment, ChatOutcome outcome, AskPrompt.Prompt prompt,
            String threadProblem) {
        if (outcome instanceof ChatOutcome.Refused refused) {
            return greeting(comment.author()) + "drep could not answer the question: " + refused.reason()
                    + ". Ask again later (a new comment).";
        }
        ChatOutcome.Answer answer = (ChatOutcome.Answer) outcome;
        // escaped HTML still carries "<!-- drep:" in the raw text, where drep looks for its markers: broken up too
        String safe = new UntrustedMarkdown(ownHosts(comment.repository())).block(answer.content())
                .replace("<!--", "<!\u2060--");
        StringBuilder text = new StringBuilder(greeting(comment.author()).strip()).append("\n\n")
                .append(safe.isEmpty() ? "(the model gave an empty answer)" : safe).append("\n\n<sub>drep's answer from "
                + "the pull request's diff and this thread, written by a model: check it.");
        if (answer.cutOff()) {
            text.append(" The answer was cut off at ").append(config.maxAnswerTokens()).append(" tokens.");
        }
        if (!prompt.diffNote().isEmpty()) {
            text.append(" Note: ").append(escape(prompt.diffNote())).append('.');
        }
        if (!prompt.threadNote().isEmpty()) {
            text.append(" Note: ").append(escape(prompt.threadNote())).append('.');
        }
        if (threadProblem != null) {
            text.append(" The thread's earlier comments could not be read (").append(escape(threadProblem))
                    .append(").");
        }
        return text.append("</sub>").toString();
    }

    /** What the question is asked with. */
    private record Context(String diff, List<AskPrompt.ThreadComment> thread, String threadProblem, String problem) {
    }

    /** Blocking: the diff from the mirror and the thread from the platform. */
    private Context context(PullRequestCommands.Comment comment, PullRequestInfo info) {
        RepositorySnapshot repository = comment.repository();
        String diff;
        String headRef = PlatformRefs.pullRequestHead(repository.platform(), comment.number());
        String baseRef = PlatformRefs.branch(info.baseRef());
        try (Repository git = mirrors.fetch(repository, List.of(baseRef, headRef))) {
            String base = info.baseSha() != null && git.resolve(info.baseSha() + "^{commit}") != null ? info.baseSha()
                    : git.resolve(baseRef).name();
            diff = ChangeListing.patch(git, new RevisionRange(mergeBase(git, base, info.headSha()), info.headSha()),
                    2 * config.maxDiffChars());
        } catch (FetchProblem e) {
            return new Context(null, List.of(), null, "the pull request's commits could not be fetched (" + escape(
                    e.getMessage()) + ")");
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "the diff of %s#%d for /drep ask", repository.fullName(), comment.number());
            return new Context(null, List.of(), null, "the pull request's diff could not be read (" + escape(
                    String.valueOf(e.getMessage())) + ")");
        }
        try {
            return new Context(diff, threads.earlier(repository, comment.number(), comment.place(), ownId(comment)),
                    null, null);
        } catch (PlatformProblem e) {
            LOG.infof("/drep ask on %s#%d without the thread: %s", repository.fullName(), comment.number(), e.getMessage());
            return new Context(diff, List.of(), e.getMessage(), null);
        }
    }

    private static String mergeBase(Repository git, String base, String head) throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(ObjectId.fromString(base)));
            walk.markStart(walk.parseCommit(ObjectId.fromString(head)));
            RevCommit found = walk.next();
            return found == null ? base : found.name();
        }
    }

    /** The command's own comment id, from its key ({@code issue_comment:123}). */
    private static long ownId(PullRequestCommands.Comment comment) {
        String key = comment.commentKey();
        try {
            return Long.parseLong(key.substring(key.lastIndexOf(':') + 1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The repository's hosts: links to them stay links in the answer (as in posted findings). */
    private static Set<String> ownHosts(RepositorySnapshot repository) {
        Set<String> hosts = new LinkedHashSet<>();
        try {
            String host = URI.create(repository.apiUrl().strip()).getHost();
            if (host != null) {
                hosts.add(host.toLowerCase(Locale.ROOT));
                if (repository.platform() == Platform.GITHUB && host.equalsIgnoreCase("api.github.com")) {
                    hosts.add("github.com");
                }
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            // no host: only relative links stay links
        }
        return hosts;
    }

    /** drep's own notes may quote file names and platform messages: shown as plain text. */
    private static String escape(String text) {
        return UntrustedMarkdown.plain(text).replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String greeting(String author) {
        return "@" + author + ", ";
    }
}
