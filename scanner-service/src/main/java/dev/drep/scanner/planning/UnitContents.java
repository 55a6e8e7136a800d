package dev.drep.scanner.planning;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.WorkUnit;
import dev.drep.core.git.RepositoryProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.Repository;

/**
 * Reads the file contents of a job's units one unit at a time, as they are sent: planning keeps only paths
 * and blob ids, so the text held at once is a few units' worth, not the whole change's. The repository (the
 * mirror, or the local repository) is opened again on first use and closed with {@link #close()}.
 */
final class UnitContents implements AutoCloseable {
    private final WorkPlanner planner;
    private final Supplier<Repository> opener;
    private Repository git;

    UnitContents(WorkPlanner planner, Supplier<Repository> opener) {
        this.planner = planner;
        this.opener = opener;
    }

    /** @return {@code unit} with the text of each file; blocking (git reads) */
    synchronized WorkUnit fill(WorkUnit unit) {
        if (git == null) {
            git = opener.get();
        }
        // paths naming the same blob share one string
        Map<String, String> texts = new HashMap<>();
        List<FileToAnalyze> files = new ArrayList<>(unit.files().size());
        for (FileToAnalyze file : unit.files()) {
            if (file.content() != null) {
                files.add(file); // planned with its text (a describe unit's diffs)
                continue;
            }
            String text = texts.computeIfAbsent(file.blobSha(), blob -> {
                WorkPlanner.FileContent content = planner.read(git, file.path(), blob);
                if (content.problem() != null) {
                    throw new RepositoryProblem(file.path() + " at " + blob + " changed since planning: " + content.problem());
                }
                return content.text();
            });
            files.add(new FileToAnalyze(file.path(), file.blobSha(), text, file.changedLines(), file.instructions()));
        }
        return unit.withFiles(files);
    }

    @Override
    public synchronized void close() {
        if (git != null) {
            git.close();
            git = null;
        }
    }
}
