package dev.drep.publisher.posting;

import dev.drep.contracts.Finding;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.Review;
import dev.drep.contracts.Walkthrough;
import dev.drep.core.describe.WalkthroughMarkdown;
import dev.drep.core.platform.Platform;
import dev.drep.core.review.ReviewComposer;
import dev.drep.core.review.UntrustedMarkdown;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What analyzers wrote (a model's finding messages and suggestions, an analyzer's reasons for not analysing a
 * file), made safe to post on the repository's platform by {@link UntrustedMarkdown}: the one place every
 * platform adapter's inline comments, the summary comment and scan issues take such text from. drep's own text
 * (headings, tables, markers, counts) is written around it and not touched.
 *
 * <p>Fingerprints are computed from the findings as the analyzers wrote them, so making a message safe never
 * makes a finding look new.
 */
public final class PostedText {
    private static final ReviewComposer COMPOSER = new ReviewComposer();

    private final UntrustedMarkdown markdown;

    private PostedText(UntrustedMarkdown markdown) {
        this.markdown = markdown;
    }

    /** @return the text policy for the publication's repository: links may point to its platform's hosts */
    public static PostedText of(Publication publication) {
        PullRequestRef ref = publication.plan().target().pullRequest();
        return new PostedText(new UntrustedMarkdown(ref == null ? Set.of() : ownHosts(ref)));
    }

    /**
     * The repository's own hosts: the API URL's host, and for GitHub's {@code api.github.com} the web host
     * {@code github.com} (GitHub Enterprise, Gitea and GitLab serve both from one host).
     */
    static Set<String> ownHosts(PullRequestRef ref) {
        Set<String> hosts = new LinkedHashSet<>();
        try {
            String host = ref.apiUrl() == null ? null : URI.create(ref.apiUrl().strip()).getHost();
            if (host != null) {
                String lower = host.toLowerCase(Locale.ROOT);
                hosts.add(lower);
                if (Platform.fromId(ref.platform()).orElse(null) == Platform.GITHUB && lower.equals("api.github.com")) {
                    hosts.add("github.com");
                }
            }
        } catch (IllegalArgumentException e) {
            // an API URL that is no URI names no host: only relative links stay links
        }
        return hosts;
    }

    /**
     * @return the finding with its message as safe markdown blocks; a suggestion that must not be offered (see
     *         {@link UntrustedMarkdown#suggestionProblem}) is left out, and the message says so
     */
    public Finding finding(Finding finding) {
        String message = markdown.block(finding.message());
        String suggestion = finding.suggestion();
        Optional<String> problem = UntrustedMarkdown.suggestionProblem(suggestion);
        if (problem.isPresent()) {
            message = message + "\n\n(drep left out the suggested replacement: " + problem.get() + ".)";
            suggestion = null;
        }
        return new Finding(finding.rule(), finding.path(), finding.line(), finding.endLine(), finding.severity(),
                message, suggestion, finding.lineText(), finding.confidence(), finding.model());
    }

    /** @return {@code text} as safe markdown on one line */
    public String line(String text) {
        return markdown.line(text);
    }

    /** @return {@code text} for a place the platform shows as plain text (an issue title) */
    public String plain(String text) {
        return UntrustedMarkdown.plain(text);
    }

    /**
     * @return the review's summary rendered again with every finding message and every reason for not analysing
     *         a file made safe (the stored review keeps what the analyzers wrote)
     */
    public String summary(Publication publication) {
        Review review = publication.review();
        List<Finding> findings = review.findings().stream().map(this::oneLineFinding).toList();
        List<Finding> summaryFindings = review.summaryFindings().stream().map(this::oneLineFinding).toList();
        List<NotAnalyzed> notAnalyzed = review.notAnalyzed().stream()
                .map(n -> new NotAnalyzed(n.path(), markdown.line(n.reason()))).toList();
        List<Finding> lowConfidence = review.lowConfidenceFindings().stream().map(this::oneLineFinding).toList();
        Review safe = new Review(review.jobId(), review.repository(), review.base(), review.head(), review.summary(),
                review.counts(), findings, notAnalyzed, review.deleted(), summaryFindings, review.notes(),
                review.usage(), review.droppedFindings(), lowConfidence);
        return COMPOSER.summary(publication.plan(), safe, publication.receivedUnitIds());
    }

    /**
     * @return the walkthrough's section ({@code ### Walkthrough}) with the model's text made safe and no marker in it,
     *         or empty when the review has none
     */
    public Optional<String> walkthrough(Publication publication) {
        Walkthrough walkthrough = publication.review().walkthrough();
        return walkthrough == null ? Optional.empty()
                : Optional.of(WalkthroughMarkdown.render(walkthrough, markdown, "### Walkthrough"));
    }

    private Finding oneLineFinding(Finding f) {
        return f.withMessage(markdown.line(f.message()));
    }
}
