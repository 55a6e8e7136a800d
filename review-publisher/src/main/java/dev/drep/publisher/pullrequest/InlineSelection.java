package dev.drep.publisher.pullrequest;

import dev.drep.contracts.Finding;
import dev.drep.publisher.posting.FindingFingerprints.Fingerprinted;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which of a review's candidate findings become inline comments. Pure: no platform, no database.
 *
 * <ol>
 *   <li><b>The same message on many lines of a file is one comment.</b> Findings with the same path, rule,
 *       severity and message (whitespace collapsed, case ignored) form a group, posted once at its first line with the other
 *       lines listed; the first line's suggestion is the one offered.</li>
 *   <li><b>Ranking.</b> Groups are ranked by severity (most severe first), then by the verifier's confidence (surest
 *       first; a finding no verifier looked at, such as a deterministic check's, counts as certain), then by path,
 *       line, rule and fingerprint, so the choice is the same on every run. The order is {@link #RANK}.</li>
 *   <li><b>Caps.</b> Down the ranking a group is posted while fewer than {@code maxInline} comments are taken and
 *       its file has fewer than {@code maxPerFile}; every finding of the other groups goes to the summary with the
 *       cap that stopped it. Comments this job already posted (an earlier try) count against both caps.</li>
 * </ol>
 */
public final class InlineSelection {
    /** The order in which candidate comments are taken. */
    public static final Comparator<Fingerprinted> RANK = Comparator
            .comparing((Fingerprinted f) -> f.finding().severity()).reversed()
            .thenComparing(InlineSelection::confidence, Comparator.reverseOrder())
            .thenComparing(f -> f.finding().path())
            .thenComparingInt(f -> f.finding().line())
            .thenComparing(f -> f.finding().rule())
            .thenComparing(Fingerprinted::fingerprint);

    private InlineSelection() {
    }

    /** The verifier's confidence; 1 for a finding it did not look at (a deterministic check is not a guess). */
    private static double confidence(Fingerprinted f) {
        Double confidence = f.finding().confidence();
        return confidence == null ? 1.0 : confidence;
    }

    /**
     * A comment to post.
     *
     * @param first       the finding the comment is anchored on (the group's first line)
     * @param sameMessage the group's other findings, by line
     */
    public record Comment(Fingerprinted first, List<Fingerprinted> sameMessage) {
        /** @return the fingerprints of every finding the comment covers */
        public List<String> fingerprints() {
            List<String> all = new ArrayList<>();
            all.add(first.fingerprint());
            sameMessage.forEach(f -> all.add(f.fingerprint()));
            return all;
        }

        /** @return how many findings the comment covers */
        public int size() {
            return 1 + sameMessage.size();
        }
    }

    /**
     * What was chosen.
     *
     * @param comments   the comments to post, best first
     * @param overReview findings left out by the cap per review
     * @param overFile   findings left out by the cap per file
     */
    public record Choice(List<Comment> comments, List<Fingerprinted> overReview, List<Fingerprinted> overFile) {
    }

    /**
     * @param candidates     findings that may be posted (on a line, not posted yet, at or above the minimum severity)
     * @param maxInline      comments per review
     * @param maxPerFile     comments per file
     * @param postedComments comments this job already posted
     * @param postedPerFile  of those, how many per path
     */
    public static Choice choose(List<Fingerprinted> candidates, int maxInline, int maxPerFile, int postedComments,
            Map<String, Integer> postedPerFile) {
        Map<List<String>, List<Fingerprinted>> groups = new LinkedHashMap<>();
        List<Fingerprinted> byLine = new ArrayList<>(candidates);
        byLine.sort(Comparator.comparing((Fingerprinted f) -> f.finding().path()).thenComparingInt(f -> f.finding().line())
                .thenComparing(Fingerprinted::fingerprint));
        for (Fingerprinted f : byLine) {
            groups.computeIfAbsent(sameMessageKey(f.finding()), k -> new ArrayList<>()).add(f);
        }
        List<Comment> ranked = new ArrayList<>();
        for (List<Fingerprinted> group : groups.values()) {
            ranked.add(new Comment(group.get(0), List.copyOf(group.subList(1, group.size()))));
        }
        ranked.sort(Comparator.comparing(Comment::first, RANK));

        List<Comment> taken = new ArrayList<>();
        List<Fingerprinted> overReview = new ArrayList<>();
        List<Fingerprinted> overFile = new ArrayList<>();
        Map<String, Integer> perFile = new HashMap<>(postedPerFile);
        int room = Math.max(0, maxInline - postedComments);
        for (Comment comment : ranked) {
            String path = comment.first().finding().path();
            if (taken.size() >= room) {
                addAll(overReview, comment);
            } else if (perFile.getOrDefault(path, 0) >= maxPerFile) {
                addAll(overFile, comment);
            } else {
                taken.add(comment);
                perFile.merge(path, 1, Integer::sum);
            }
        }
        return new Choice(taken, overReview, overFile);
    }

    private static void addAll(List<Fingerprinted> into, Comment comment) {
        into.add(comment.first());
        into.addAll(comment.sameMessage());
    }

    /** Path, rule, severity and message with whitespace collapsed and case ignored: what "the same message" means. */
    public static List<String> sameMessageKey(Finding f) {
        String message = Objects.requireNonNullElse(f.message(), "").strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        return List.of(f.path(), f.rule(), f.severity().name(), message);
    }
}
