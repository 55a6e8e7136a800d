package dev.drep.core.describe;

import dev.drep.contracts.Walkthrough;
import dev.drep.core.review.UntrustedMarkdown;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The walkthrough as markdown for the summary comment and the description: the overview, then one line per file
 * grouped by directory ("area"), then the files without a line and drep's note. The model's text goes through
 * {@link UntrustedMarkdown#line} (no mentions, HTML, images or links elsewhere) and is flattened to one line, so it
 * can neither open a block of its own nor reach into what drep writes around it; paths are code spans; and no
 * {@code <!--} survives anywhere in it, so it can never carry drep's markers.
 */
public final class WalkthroughMarkdown {
    /** Files without a line named at most. */
    static final int MAX_UNLISTED_NAMED = 100;
    private static final String WORD_JOINER = "\u2060";

    private WalkthroughMarkdown() {
    }

    /**
     * @param walkthrough the walkthrough
     * @param text        makes the model's text safe (knows the repository's own hosts)
     * @param heading     the heading line, e.g. {@code ### Walkthrough}
     * @return the section, ending with a line break
     */
    public static String render(Walkthrough walkthrough, UntrustedMarkdown text, String heading) {
        StringBuilder md = new StringBuilder(heading).append("\n\n");
        String overview = text.line(walkthrough.overview());
        if (!overview.isEmpty()) {
            md.append(overview).append("\n\n");
        }
        Map<String, List<Walkthrough.FileLine>> byArea = new TreeMap<>();
        for (Walkthrough.FileLine file : walkthrough.files()) {
            byArea.computeIfAbsent(area(file.path()), a -> new java.util.ArrayList<>()).add(file);
        }
        byArea.forEach((area, files) -> {
            md.append("**").append(code(area)).append("**\n\n");
            files.stream().sorted(java.util.Comparator.comparing(Walkthrough.FileLine::path)).forEach(file ->
                    md.append("- ").append(code(file.path())).append(": ").append(text.line(file.line())).append('\n'));
            md.append('\n');
        });
        List<String> unlisted = walkthrough.unlisted();
        if (!unlisted.isEmpty()) {
            md.append(walkthrough.files().isEmpty() ? "Changed files: " : "Also changed (no description): ");
            int shown = Math.min(unlisted.size(), MAX_UNLISTED_NAMED);
            for (int i = 0; i < shown; i++) {
                md.append(i == 0 ? "" : ", ").append(code(unlisted.get(i)));
            }
            if (unlisted.size() > shown) {
                md.append(" and ").append(unlisted.size() - shown).append(" more");
            }
            md.append(".\n\n");
        }
        if (walkthrough.note() != null && !walkthrough.note().isBlank()) {
            md.append("<sub>").append(text.line(walkthrough.note())).append("</sub>\n\n");
        }
        md.append("<sub>Written by a model from the diff; it may be wrong.</sub>\n");
        return neutralised(md.toString());
    }

    /** @return the directory of {@code path} with a trailing slash, or {@code /} for the repository's root */
    static String area(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "/" : path.substring(0, slash + 1);
    }

    /** @return {@code text} as a code span, its fence longer than any backtick run inside */
    static String code(String text) {
        String one = text.replace('\n', ' ').replace('\r', ' ');
        int longest = 0;
        int run = 0;
        for (int i = 0; i < one.length(); i++) {
            run = one.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(longest + 1);
        boolean pad = one.startsWith("`") || one.endsWith("`");
        return fence + (pad ? " " + one + " " : one) + fence;
    }

    /** No HTML comment can start in the walkthrough: drep's markers are HTML comments. */
    static String neutralised(String markdown) {
        return markdown.replace("<!--", "<!" + WORD_JOINER + "--");
    }
}
