package dev.drep.analyzer;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.VerifyMode;
import dev.drep.contracts.WorkUnit;
import dev.drep.testsupport.llm.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Work units, results and scripted model answers for the analyzer's tests. */
final class Units {
    private static final Pattern FILE = Pattern.compile("### File: (\\S+)");
    private static final Pattern CHANGED = Pattern.compile("(?m)^\\s*(\\d+)\\+\\| (.*)$");

    private Units() {
    }

    /**
     * A unit with {@code verify: off}: the tests of the review itself script one answer per review call, and the
     * verifier pass (a second call) has tests of its own ({@code VerifierTest}, {@link #unit(VerifyMode, FileToAnalyze...)}).
     */
    static WorkUnit unit(String analyzer, String priority, FileToAnalyze... files) {
        return new WorkUnit(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "acme/shop", analyzer,
                List.of(files), priority, null, VerifyMode.OFF);
    }

    /** An interactive {@code llm-review} unit with the repository's {@code verify} setting. */
    static WorkUnit unit(VerifyMode verify, FileToAnalyze... files) {
        return new WorkUnit(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "acme/shop", "llm-review",
                List.of(files), WorkUnit.INTERACTIVE, null, verify);
    }

    /** A source file of {@code lines} lines with one changed line; a fresh blob id unless one is given. */
    static FileToAnalyze file(String path, int lines, int changedLine) {
        return file(path, UUID.randomUUID().toString(), lines, changedLine);
    }

    static FileToAnalyze file(String path, String blob, int lines, int changedLine) {
        StringBuilder content = new StringBuilder();
        for (int i = 1; i <= lines; i++) {
            content.append("value_").append(i).append(" = compute(").append(i).append(")\n");
        }
        return new FileToAnalyze(path, blob, content.toString(), List.of(new LineRange(changedLine, changedLine)));
    }

    static UnitResult awaitResult(String unitId) throws InterruptedException {
        await(() -> TestChannels.RESULTS.stream().anyMatch(r -> r.unitId().equals(unitId)), Duration.ofSeconds(30));
        return TestChannels.RESULTS.stream().filter(r -> r.unitId().equals(unitId)).findFirst().orElseThrow();
    }

    static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + within);
            }
            Thread.sleep(20);
        }
    }

    /** The paths of the files a review request shows, in order. */
    static List<String> paths(RecordedRequest request) {
        List<String> paths = new ArrayList<>();
        Matcher m = FILE.matcher(request.lastUserMessage());
        while (m.find()) {
            paths.add(m.group(1));
        }
        return paths;
    }

    /** A model that reports one high-severity bug per file, on the file's first changed line, quoting it. */
    static String bugOnFirstChangedLine(RecordedRequest request) {
        String user = request.lastUserMessage();
        Matcher file = FILE.matcher(user);
        List<int[]> sections = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (file.find()) {
            sections.add(new int[] {file.start()});
            names.add(file.group(1));
        }
        StringBuilder answer = new StringBuilder("```json\n{\"findings\":[");
        for (int i = 0; i < names.size(); i++) {
            int end = i + 1 < sections.size() ? sections.get(i + 1)[0] : user.length();
            Matcher changed = CHANGED.matcher(user.substring(sections.get(i)[0], end));
            if (changed.find()) {
                answer.append(i > 0 ? "," : "").append("{\"path\":\"").append(names.get(i)).append("\",\"line\":")
                        .append(changed.group(1)).append(",\"quote\":\"").append(changed.group(2).strip())
                        .append("\",\"severity\":\"high\",\"category\":\"bug\",")
                        .append("\"message\":\"compute() may overflow in ").append(names.get(i)).append("\"}");
            }
        }
        return answer.append("]}\n```").toString();
    }
}
