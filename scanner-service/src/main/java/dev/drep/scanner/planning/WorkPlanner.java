package dev.drep.scanner.planning;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.WorkUnit;
import dev.drep.core.git.ChangeListing;
import dev.drep.core.git.ChangeType;
import dev.drep.core.git.ChangedFile;
import dev.drep.core.git.RepositoryProblem;
import dev.drep.core.git.RevisionRange;
import dev.drep.core.llm.ReviewPriority;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;

/**
 * Decides what to analyse between two commits and packs it into work units: deleted and renamed files
 * are recorded, ignored paths dropped, files unchanged since a previous review carried over, and binary,
 * oversized or non-UTF-8 files, or files whose analyzer is switched off, named with the reason.
 * Unit ids are derived from the job and the unit's position, so planning a job twice yields the same
 * units and the downstream idempotency holds.
 */
public final class WorkPlanner {
    private final int maxFileBytes;
    private final int filesPerUnit;
    private final int llmFilesPerUnit;

    /**
     * @param filesPerUnit    files per unit of a deterministic analyzer
     * @param llmFilesPerUnit files per unit of an LLM analyzer, which batches them into few requests
     */
    public WorkPlanner(int maxFileBytes, int filesPerUnit, int llmFilesPerUnit) {
        this.llmFilesPerUnit = Math.max(1, llmFilesPerUnit);
        this.maxFileBytes = maxFileBytes;
        this.filesPerUnit = Math.max(1, filesPerUnit);
    }

    /**
     * @param range      base..head: the changed files and their changed lines (what inline positions refer to)
     * @param rules      what to ignore, which files to analyse in this run, instructions and analyzers
     * @param repository display name written into the units
     */
    public PlannedWork plan(Repository git, RevisionRange range, PlanningRules rules, String jobId, String repository) {
        List<NotAnalyzed> notAnalyzed = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        List<String> carriedOver = new ArrayList<>();
        Map<String, String> renamed = new LinkedHashMap<>();
        Map<String, List<FileToAnalyze>> byAnalyzer = new LinkedHashMap<>();
        for (ChangedFile file : ChangeListing.list(git, range)) {
            if (file.type() == ChangeType.DELETED) {
                deleted.add(file.path());
                continue;
            }
            if (file.type() == ChangeType.RENAMED) {
                renamed.put(file.path(), file.oldPath());
            }
            if (rules.ignored().test(file.path())) {
                continue;
            }
            if (file.changedLines().isEmpty() && file.type() == ChangeType.RENAMED) {
                continue; // a pure rename changes no line: nothing to report on
            }
            if (rules.selected() != null && !rules.selected().contains(file.path())) {
                carriedOver.add(file.path());
                continue;
            }
            FileContent content = read(git, file);
            if (content.problem() != null) {
                notAnalyzed.add(new NotAnalyzed(file.path(), content.problem()));
                continue;
            }
            List<String> analyzers = AnalyzerRouting.analyzersFor(file.path());
            if (analyzers.isEmpty()) {
                notAnalyzed.add(new NotAnalyzed(file.path(), AnalyzerRouting.isGenerated(file.path())
                        ? AnalyzerRouting.GENERATED_REASON : "no analyzer for this file type"));
                continue;
            }
            List<String> enabled = analyzers.stream().filter(rules.configuration()::analyzerEnabled).toList();
            if (enabled.isEmpty()) {
                notAnalyzed.add(new NotAnalyzed(file.path(), "the " + String.join(" and ", analyzers)
                        + " analyzer" + (analyzers.size() == 1 ? " is" : "s are") + " switched off in .drep.yaml"));
                continue;
            }
            FileToAnalyze toAnalyze = new FileToAnalyze(file.path(), file.blobId(), content.text(),
                    rules.wholeFiles() ? allLines(content.text()) : file.changedLines(),
                    rules.configuration().instructionsFor(file.path()));
            for (String analyzer : enabled) {
                byAnalyzer.computeIfAbsent(analyzer, a -> new ArrayList<>()).add(toAnalyze);
            }
        }
        List<WorkUnit> units = new ArrayList<>();
        byAnalyzer.forEach((analyzer, files) -> {
            // the most important files first, so that the first units of a job are the ones that matter
            files.sort(ReviewPriority.ORDER);
            int filesPerUnit = AnalyzerRouting.usesLlm(analyzer) ? llmFilesPerUnit : this.filesPerUnit;
            for (int from = 0; from < files.size(); from += filesPerUnit) {
                List<FileToAnalyze> slice = files.subList(from, Math.min(files.size(), from + filesPerUnit));
                String unitId = UUID.nameUUIDFromBytes((jobId + "/" + analyzer + "/" + from).getBytes(StandardCharsets.UTF_8))
                        .toString();
                units.add(new WorkUnit(unitId, jobId, repository, analyzer, slice, rules.priority(),
                        rules.configuration().maxLlmTokens()));
            }
        });
        return new PlannedWork(units, notAnalyzed, deleted, carriedOver, renamed);
    }

    private record FileContent(String text, String problem) {
    }

    /** @return one range over every line of {@code text}, or none for an empty file */
    static List<LineRange> allLines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        int lines = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        if (text.charAt(text.length() - 1) != '\n') {
            lines++; // a last line without a line break
        }
        return List.of(new LineRange(1, lines));
    }

    private FileContent read(Repository git, ChangedFile file) {
        try {
            ObjectLoader loader = git.open(ObjectId.fromString(file.blobId()));
            long size = loader.getSize();
            if (size > maxFileBytes) {
                return new FileContent(null, "file is " + size + " bytes, over the limit of " + maxFileBytes + " bytes");
            }
            byte[] bytes = loader.getBytes();
            if (RawText.isBinary(bytes, bytes.length, true)) {
                return new FileContent(null, "binary file");
            }
            return decodeUtf8(bytes);
        } catch (IOException e) {
            throw new RepositoryProblem("could not read " + file.path() + " at " + file.blobId() + ": " + e.getMessage(), e);
        }
    }

    private static FileContent decodeUtf8(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buffer).toString();
            return new FileContent(text, null);
        } catch (MalformedInputException e) {
            return new FileContent(null, "not valid UTF-8 (invalid byte at offset " + buffer.position() + ")");
        } catch (CharacterCodingException e) {
            return new FileContent(null, "not valid UTF-8: " + e.getMessage());
        }
    }
}
