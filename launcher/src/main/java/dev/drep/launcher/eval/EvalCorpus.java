package dev.drep.launcher.eval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.drep.launcher.LauncherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the evaluation corpus: every sub-folder of the corpus folder that holds a {@code case.yaml}, by name. */
public final class EvalCorpus {
    /** The labels file of a case. */
    public static final String CASE_FILE = "case.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @JsonIgnoreProperties(ignoreUnknown = false)
    record CaseFile(String title, String language, List<ProblemEntry> problems) {
    }

    record ProblemEntry(String path, Integer line, String about) {
    }

    private EvalCorpus() {
    }

    /** @return the cases in {@code folder}, sorted by id; fails naming the case and the field at fault */
    public static List<EvalCase> load(Path folder) throws LauncherException {
        if (!Files.isDirectory(folder)) {
            throw new LauncherException("The evaluation corpus " + folder + (Files.exists(folder) ? " is not a folder"
                    : " does not exist") + ". Give a folder of cases with --corpus (each case a folder with "
                    + CASE_FILE + ", base/ and head/).");
        }
        List<Path> folders;
        try (Stream<Path> children = Files.list(folder)) {
            folders = children.filter(p -> Files.isRegularFile(p.resolve(CASE_FILE))).sorted().toList();
        } catch (IOException e) {
            throw new LauncherException("Cannot list the evaluation corpus " + folder + ": " + e.getMessage(), e);
        }
        if (folders.isEmpty()) {
            throw new LauncherException("The evaluation corpus " + folder + " has no case: no sub-folder holds a "
                    + CASE_FILE + ".");
        }
        List<EvalCase> cases = new ArrayList<>();
        for (Path caseFolder : folders) {
            cases.add(read(caseFolder));
        }
        return cases;
    }

    static EvalCase read(Path caseFolder) throws LauncherException {
        String id = caseFolder.getFileName().toString();
        Path file = caseFolder.resolve(CASE_FILE);
        CaseFile parsed;
        try {
            parsed = YAML.readValue(file.toFile(), CaseFile.class);
        } catch (IOException e) {
            throw new LauncherException("Case " + id + ": " + file + " is not a case file ("
                    + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        if (parsed == null || parsed.title() == null || parsed.title().isBlank()) {
            throw new LauncherException("Case " + id + ": " + file + " needs a title");
        }
        if (parsed.language() == null || parsed.language().isBlank()) {
            throw new LauncherException("Case " + id + ": " + file + " needs a language");
        }
        if (!Files.isDirectory(caseFolder.resolve("head"))) {
            throw new LauncherException("Case " + id + ": the folder " + caseFolder.resolve("head")
                    + " (the files after the change) is missing");
        }
        List<EvalCase.Problem> problems = new ArrayList<>();
        List<ProblemEntry> entries = parsed.problems() == null ? List.of() : parsed.problems();
        for (int i = 0; i < entries.size(); i++) {
            ProblemEntry entry = entries.get(i);
            String where = "Case " + id + ": problem " + (i + 1) + " in " + file;
            if (entry.path() == null || entry.path().isBlank()) {
                throw new LauncherException(where + " needs a path");
            }
            Path changed = caseFolder.resolve("head").resolve(entry.path());
            if (!Files.isRegularFile(changed)) {
                throw new LauncherException(where + " names " + entry.path() + ", which is not a file of head/");
            }
            if (entry.line() == null || entry.line() < 1) {
                throw new LauncherException(where + " needs a line (1 or more)");
            }
            long lines;
            try (Stream<String> text = Files.lines(changed)) {
                lines = text.count();
            } catch (IOException e) {
                throw new LauncherException(where + ": cannot read " + changed + ": " + e.getMessage(), e);
            }
            if (entry.line() > lines) {
                throw new LauncherException(where + " names line " + entry.line() + " of " + entry.path()
                        + ", which has " + lines + " lines");
            }
            problems.add(new EvalCase.Problem(entry.path(), entry.line(), entry.about() == null ? "" : entry.about()));
        }
        return new EvalCase(id, parsed.title().strip(), parsed.language().strip(), problems, caseFolder);
    }
}
