package dev.drep.core.describe;

import java.util.ArrayList;
import java.util.List;

/**
 * drep's part of a pull request's description: the walkthrough between two markers. Whatever the author wrote outside
 * the markers is kept byte for byte; what lies between a pair of markers is drep's and is replaced.
 *
 * <p>Markers the author damaged: a well-formed pair is an opening marker followed by a closing one before the next
 * opening marker. The first pair takes the new walkthrough and any further pairs are removed with what they enclose
 * (they are drep's, copied by an edit). A marker without its partner (an opening marker whose closing one was
 * deleted, a closing marker alone) is removed by itself and the text around it is kept: drep cannot tell its old
 * walkthrough from the author's words there, so it keeps both. Without a well-formed pair the walkthrough is added at
 * the end.
 */
public final class DescriptionBlock {
    /** Opens drep's part of the description. */
    public static final String START = "<!-- drep:walkthrough:start -->";
    /** Closes drep's part of the description. */
    public static final String END = "<!-- drep:walkthrough:end -->";

    private DescriptionBlock() {
    }

    /**
     * The description with drep's part replaced.
     *
     * @param body    the new description
     * @param damaged what was wrong with the markers found, or null when they were fine (or absent)
     */
    public record Spliced(String body, String damaged) {
    }

    /** @return the markers around {@code walkthrough} (markdown that carries no marker itself) */
    public static String block(String walkthrough) {
        return START + "\n" + walkthrough.strip() + "\n" + END;
    }

    /**
     * @param body  the current description (null or empty for none)
     * @param block drep's part, from {@link #block}
     * @return the description with {@code block} in drep's place
     */
    public static Spliced splice(String body, String block) {
        String text = body == null ? "" : body;
        List<int[]> starts = positions(text, START);
        List<int[]> ends = positions(text, END);
        List<int[]> markers = new ArrayList<>();
        starts.forEach(p -> markers.add(new int[] {p[0], 0}));
        ends.forEach(p -> markers.add(new int[] {p[0], 1}));
        markers.sort((a, b) -> Integer.compare(a[0], b[0]));
        // pairs: an opening marker directly followed (among markers) by a closing one; the rest are strays
        List<int[]> pairs = new ArrayList<>();
        List<int[]> strays = new ArrayList<>();
        for (int i = 0; i < markers.size(); i++) {
            int[] m = markers.get(i);
            if (m[1] == 0 && i + 1 < markers.size() && markers.get(i + 1)[1] == 1) {
                pairs.add(new int[] {m[0], markers.get(i + 1)[0] + END.length()});
                i++;
            } else {
                strays.add(new int[] {m[0], m[0] + (m[1] == 0 ? START.length() : END.length())});
            }
        }
        String damaged = null;
        if (pairs.size() > 1 || !strays.isEmpty()) {
            damaged = (pairs.size() > 1 ? pairs.size() + " pairs of drep's markers (the first kept, the others removed "
                    + "with their text)" : "")
                    + (pairs.size() > 1 && !strays.isEmpty() ? "; " : "")
                    + (strays.isEmpty() ? "" : strays.size() + " marker" + (strays.size() == 1 ? "" : "s")
                    + " without its partner (removed, the text around kept)");
        }
        List<int[]> cuts = new ArrayList<>(pairs);
        cuts.addAll(strays);
        cuts.sort((a, b) -> Integer.compare(a[0], b[0]));
        StringBuilder out = new StringBuilder(text.length() + block.length() + 2);
        int at = 0;
        boolean placed = false;
        for (int[] cut : cuts) {
            out.append(text, at, cut[0]);
            if (!placed && !pairs.isEmpty() && cut == pairs.get(0)) {
                out.append(block);
                placed = true;
            }
            at = cut[1];
        }
        out.append(text.substring(at));
        if (!placed) {
            String kept = out.toString();
            String gap = kept.isBlank() || kept.endsWith("\n\n") ? "" : kept.endsWith("\n") ? "\n" : "\n\n";
            return new Spliced(kept + gap + block, damaged);
        }
        return new Spliced(out.toString(), damaged);
    }

    private static List<int[]> positions(String text, String marker) {
        List<int[]> found = new ArrayList<>();
        for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + marker.length())) {
            found.add(new int[] {i});
        }
        return found;
    }
}
