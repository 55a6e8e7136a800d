package dev.drep.publisher.posting;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hidden HTML comments drep puts into what it posts, so that it can find its own comments and issues
 * again when its records are lost or a post was cut short by a crash. Markdown renderers hide them.
 */
public final class Markers {
    /** In drep's one summary comment per pull request. */
    public static final String SUMMARY = "<!-- drep:summary -->";

    private static final Pattern FINDING = Pattern.compile("<!-- drep:finding:([0-9a-f]{8,64}) -->");

    private Markers() {
    }

    /** @return the marker of an inline comment or issue about the finding with this fingerprint */
    public static String finding(String fingerprint) {
        return "<!-- drep:finding:" + fingerprint + " -->";
    }

    /** @return the marker of drep's note that the finding with this fingerprint is fixed (where threads cannot be resolved) */
    public static String resolved(String fingerprint) {
        return "<!-- drep:resolved:" + fingerprint + " -->";
    }

    /** @return the fingerprints of every finding marker in {@code text} */
    public static Set<String> findings(String text) {
        Set<String> found = new LinkedHashSet<>();
        if (text != null) {
            Matcher m = FINDING.matcher(text);
            while (m.find()) {
                found.add(m.group(1));
            }
        }
        return found;
    }
}
