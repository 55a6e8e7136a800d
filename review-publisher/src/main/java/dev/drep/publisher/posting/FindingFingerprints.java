package dev.drep.publisher.posting;

import dev.drep.contracts.Finding;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Fingerprints of findings that survive line shifts, the key of de-duplication across pushes (inline
 * comments) and scans (issues).
 *
 * <p>A fingerprint is a hash of the finding's {@link #identity identity} and its occurrence number: the
 * n-th finding (by line) with the same identity in the same file gets occurrence n, so that two equal
 * problems in one file (trailing whitespace on two lines) are two fingerprints, and both keep theirs
 * when lines above them are added or removed.
 *
 * <p>{@link #identity} is the one place to change what makes two findings the same: the rule, the path
 * and the text of the finding's line with its whitespace collapsed, so that an LLM finding reworded on the
 * next push is still the same finding, and one whose line was edited is a new one. Findings without line
 * text (whole-file findings, results of older analyzers) use the message with digits normalised instead
 * (a message such as "line is 130 characters long" changes with the code, its point does not).
 */
public final class FindingFingerprints {
    /** Hex characters kept of the SHA-256: 96 bits, far from collisions at any PR's scale. */
    private static final int LENGTH = 24;

    private FindingFingerprints() {
    }

    /**
     * A finding with its fingerprint.
     *
     * @param finding     the finding
     * @param fingerprint its fingerprint
     */
    public record Fingerprinted(Finding finding, String fingerprint) {
    }

    /** @return every finding with its fingerprint, in the order given */
    public static List<Fingerprinted> of(List<Finding> findings) {
        List<Finding> byLine = new ArrayList<>(findings);
        byLine.sort(Comparator.comparing(Finding::path).thenComparingInt(Finding::line));
        Map<String, Integer> occurrences = new HashMap<>();
        Map<Finding, String> fingerprints = new IdentityHashMap<>();
        for (Finding finding : byLine) {
            String identity = identity(finding);
            int occurrence = occurrences.merge(identity, 1, Integer::sum);
            fingerprints.put(finding, hash(identity + "\n#" + occurrence));
        }
        List<Fingerprinted> result = new ArrayList<>(findings.size());
        for (Finding finding : findings) {
            result.add(new Fingerprinted(finding, fingerprints.get(finding)));
        }
        return result;
    }

    /** What makes two findings the same finding, whatever line they are on. */
    public static String identity(Finding finding) {
        if (finding.lineText() != null && !finding.lineText().isBlank()) {
            return finding.rule() + "\n" + finding.path() + "\nline:" + finding.lineText().strip().replaceAll("\\s+", " ");
        }
        return finding.rule() + "\n" + finding.path() + "\n" + normalise(finding.message());
    }

    /** Digits as {@code #}, whitespace collapsed, lower case. */
    static String normalise(String text) {
        return Objects.requireNonNullElse(text, "").strip().replaceAll("\\d+", "#").replaceAll("\\s+", " ")
                .toLowerCase(Locale.ROOT);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
