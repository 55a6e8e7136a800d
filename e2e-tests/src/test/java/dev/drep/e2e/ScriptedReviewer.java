package dev.drep.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drep.launcher.eval.EvalCase;
import dev.drep.testsupport.llm.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A scripted model for the evaluation corpus: it "finds" the seeded problems of the files it is shown (except those of
 * the cases it is told to miss), quoting their lines, and adds to every file the hallucinations that issue 16 lists,
 * one of each kind, so that a test can check what each stage of drep's pipeline keeps:
 * <ul>
 *   <li>a finding on a changed line quoting code the file does not have;</li>
 *   <li>a finding on a file the request did not show;</li>
 *   <li>a finding on a line the file does not have;</li>
 *   <li>on the files of clean cases, a finding that grounding cannot catch: it quotes the file's first changed line
 *       as it is, and claims a problem the line does not have ({@link #GROUNDED_HALLUCINATION}).</li>
 * </ul>
 * Its answers follow the answer shape of drep's review prompt; requests of the doc-comment analyzer get no proposal.
 * As the verifier (task class {@code verify}) it refutes the grounded hallucinations and confirms every other finding
 * with a confidence of 0.9.
 */
final class ScriptedReviewer {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The claim of the hallucination that quotes a real line: only the verifier can catch it. */
    static final String GROUNDED_HALLUCINATION = "This line can throw a NullPointerException.";
    private static final Pattern VERIFIED_FILE = Pattern.compile("(?m)^### (\\S+)\n<<<DATA ");
    private static final Pattern VERIFIED_FINDING = Pattern.compile("(?m)^(F\\d+) line [0-9-]+ \\([^)]*\\): (.*)$");
    private final Set<String> refuted = ConcurrentHashMap.newKeySet();
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private final Map<String, CorpusFile> files = new LinkedHashMap<>();
    private final Set<String> missedCases;
    private final Set<String> shown = ConcurrentHashMap.newKeySet();

    /** A file of the corpus as the model knows it: its case, its head lines, its first changed line. */
    private record CorpusFile(EvalCase evalCase, String path, List<String> lines, int firstChanged) {
    }

    ScriptedReviewer(List<EvalCase> cases, Set<String> missedCases) {
        this.missedCases = Set.copyOf(missedCases);
        for (EvalCase evalCase : cases) {
            try (Stream<Path> walk = Files.walk(evalCase.head())) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    String path = evalCase.head().relativize(file).toString().replace('\\', '/');
                    List<String> head = Files.readAllLines(file);
                    Path basePath = evalCase.base().resolve(path);
                    List<String> base = Files.isRegularFile(basePath) ? Files.readAllLines(basePath) : List.of();
                    files.put(path, new CorpusFile(evalCase, path, head, firstChanged(base, head)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** @return the corpus files the model was shown for review: each got one hallucination of each kind */
    Set<String> shown() {
        return Set.copyOf(shown);
    }

    /** @return whether {@code path} is a file of a clean case */
    boolean clean(String path) {
        CorpusFile file = files.get(path);
        return file != null && file.evalCase().clean();
    }

    /** @return the corpus files whose grounded hallucination the verifier refuted */
    Set<String> refuted() {
        return Set.copyOf(refuted);
    }

    /** @return the corpus files the verifier was asked about */
    Set<String> verified() {
        return Set.copyOf(verified);
    }

    String answer(RecordedRequest request) {
        String system = request.messages().isEmpty() ? "" : request.messages().get(0).content();
        String user = request.messages().stream().skip(1).map(RecordedRequest.Message::content)
                .reduce("", String::concat);
        if (system.contains("documentation comments")) {
            return "{\"docs\":[]}";
        }
        if (system.startsWith("You are drep's verifier")) {
            return verdicts(user);
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode findings = answer.putArray("findings");
        for (CorpusFile file : files.values()) {
            if (!user.contains("File: " + file.path())) {
                continue;
            }
            shown.add(file.path());
            if (!missedCases.contains(file.evalCase().id())) {
                for (EvalCase.Problem problem : file.evalCase().problems()) {
                    if (problem.path().equals(file.path())) {
                        finding(findings, file.path(), problem.line(), "high", "bug", problem.about(),
                                file.lines().get(problem.line() - 1).strip());
                    }
                }
            }
            finding(findings, file.path(), file.firstChanged(), "medium", "bug",
                    "This calls a method that is not defined anywhere.", "callThatIsNowhereInThisFile(withArguments);");
            finding(findings, ghost(file.path()), 1, "high", "security", "The file leaks credentials.",
                    file.lines().get(0).strip());
            finding(findings, file.path(), file.lines().size() + 40, "medium", "bug", "The loop never ends.",
                    "while (true) {");
            if (file.evalCase().clean()) {
                int line = firstWithCode(file.lines(), file.firstChanged());
                finding(findings, file.path(), line, "high", "bug", GROUNDED_HALLUCINATION,
                        file.lines().get(line - 1).strip());
            }
        }
        return answer.toString();
    }

    /** Refutes the grounded hallucinations, confirms the rest; one verdict per finding shown. */
    private String verdicts(String user) {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode verdicts = answer.putArray("verdicts");
        Matcher file = VERIFIED_FILE.matcher(user);
        while (file.find()) {
            int next = user.indexOf("\n### ", file.end());
            verified.add(file.group(1));
            Matcher finding = VERIFIED_FINDING.matcher(user.substring(file.end(), next < 0 ? user.length() : next));
            while (finding.find()) {
                boolean refute = finding.group(2).strip().equals(GROUNDED_HALLUCINATION);
                if (refute) {
                    refuted.add(file.group(1));
                }
                ObjectNode verdict = verdicts.addObject();
                verdict.put("id", finding.group(1));
                verdict.put("verdict", refute ? "refuted" : "confirmed");
                verdict.put("confidence", refute ? 0.95 : 0.9);
                verdict.put("reason", refute ? "nothing on the line can be null" : "the code does this");
            }
        }
        return answer.toString();
    }

    private static void finding(ArrayNode findings, String path, int line, String severity, String category,
            String message, String quote) {
        ObjectNode finding = findings.addObject();
        finding.put("path", path);
        finding.put("line", line);
        finding.put("severity", severity);
        finding.put("category", category);
        finding.put("message", message);
        finding.put("quote", quote);
    }

    private static String ghost(String path) {
        int slash = path.lastIndexOf('/');
        return path.substring(0, slash + 1) + "Ghost" + path.substring(slash + 1);
    }

    /** @return the first line from {@code from} on that has a letter or digit (a blank line quotes no code) */
    private static int firstWithCode(List<String> lines, int from) {
        for (int n = from; n <= lines.size(); n++) {
            if (lines.get(n - 1).chars().anyMatch(Character::isLetterOrDigit)) {
                return n;
            }
        }
        return from;
    }

    private static int firstChanged(List<String> base, List<String> head) {
        for (int i = 0; i < head.size(); i++) {
            if (i >= base.size() || !base.get(i).equals(head.get(i))) {
                return i + 1;
            }
        }
        return Math.max(head.size(), 1);
    }
}
