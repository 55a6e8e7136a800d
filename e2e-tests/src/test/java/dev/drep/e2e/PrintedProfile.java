package dev.drep.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the table {@code drep review --profile} prints. */
final class PrintedProfile {
    private static final Pattern UNACCOUNTED = Pattern.compile("(?m)^not accounted for\\s+([0-9.]+) s\\s+([0-9.]+)%");
    private static final Pattern LLM = Pattern.compile("(?m)^LLM: (\\d+) calls? \\((\\d+) from cache\\), ([0-9,]+) prompt");

    private final String text;

    PrintedProfile(String text) {
        this.text = text;
        assertThat(text).contains("Profile of job ");
    }

    /** @return the stage's wall time in milliseconds */
    long wallMillis(String stage) {
        return column(stage, 1);
    }

    /** @return the stage's busy time (summed over units) in milliseconds */
    long busyMillis(String stage) {
        return column(stage, 3);
    }

    /** @return the share of the wall time no stage accounts for, in percent */
    double unaccountedPercent() {
        Matcher line = UNACCOUNTED.matcher(text);
        assertThat(line.find()).as(text).isTrue();
        return Double.parseDouble(line.group(2));
    }

    /** @return the LLM calls the job made */
    int llmCalls() {
        Matcher line = LLM.matcher(text);
        assertThat(line.find()).as(text).isTrue();
        return Integer.parseInt(line.group(1));
    }

    private long column(String stage, int group) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(stage)
                + "\\s+([0-9.]+) s\\s+([0-9.]+)%\\s+#*\\s+([0-9.]+) s$").matcher(text);
        assertThat(line.find()).as("line for %s in%n%s", stage, text).isTrue();
        return Math.round(Double.parseDouble(line.group(group)) * 1000);
    }

    @Override
    public String toString() {
        return text;
    }
}
