package dev.drep.launcher.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * One labelled pull request of the evaluation corpus: a folder with {@code case.yaml} (title, language, the seeded
 * problems), {@code base/} (the files before the change; absent when the change only adds files) and {@code head/}
 * (the files after it).
 *
 * @param id       the folder's name
 * @param title    what the change does, as a pull request title
 * @param language the change's main language (java, python, javascript, typescript, go, markdown)
 * @param problems where a reviewer should find something; empty for a clean change
 * @param folder   the case's folder
 */
public record EvalCase(String id, String title, String language, List<Problem> problems, Path folder) {
    public EvalCase {
        problems = List.copyOf(problems);
    }

    /** @return true when nothing is wrong in the change */
    public boolean clean() {
        return problems.isEmpty();
    }

    /** @return the files before the change */
    public Path base() {
        return folder.resolve("base");
    }

    /** @return the files after the change */
    public Path head() {
        return folder.resolve("head");
    }

    /**
     * A seeded problem.
     *
     * @param path  the file, relative to the repository root
     * @param line  the line (1-based, head version) a reviewer should point at
     * @param about what is wrong, for the reader of the report
     */
    public record Problem(String path, int line, String about) {
    }
}
