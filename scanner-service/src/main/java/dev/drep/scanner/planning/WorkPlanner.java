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
import java.util.Comparator;
import java.util.HashMap;
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
    private final int maxFiles;
    private final long maxBytes;

    /**
     * @param maxFileBytes    larger files are not analysed
     * @param filesPerUnit    files per unit of a deterministic analyzer
     * @param llmFilesPerUnit files per unit of an LLM analyzer, which batches them into few requests
     * @param maxFiles        files analysed per job at most, in path order
     * @param maxBytes        bytes of content put into one job's units at most, in path order
     */
    public WorkPlanner(int maxFileBytes, int filesPerUnit, int llmFilesPerUnit, int maxFiles, long maxBytes) {
        this.llmFilesPerUnit = Math.max(1, llmFilesPerUnit);
        this.maxFileBytes = maxFileBytes;
        this.filesPerUnit = Math.max(1, filesPerUnit);
        this.maxFiles = Math.max(0, maxFiles);
        this.maxBytes = Math.max(0, maxBytes);
    }

    /** @return the reason given to the files left out because the job reached a cap */
    public String overLimitReason() {
        return "over the job's size limit (" + maxFiles + " files / " + maxBytes + " bytes)";
    }

    /**
     * Plans without file contents: the units name each file's blob, and {@link UnitContents} reads the
     * contents unit by unit when they are sent, so a job never holds more than a few units' text at once.
     * Each blob is read here once (to tell binary and non-UTF-8 files) and released.
     *
     * @param range      base..head: the changed files and their changed lines (what inline positions refer to)
     * @param rules      what to ignore, which files to analyse in this run, instructions and analyzers
     * @param repository display name written into the units
     * @param deadline   when planning must stop
     */
    public PlannedWork plan(Repository git, RevisionRange range, PlanningRules rules, String jobId, String repository,
            PlanningDeadline deadline) {
        List<NotAnalyzed> notAnalyzed = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        List<String> carriedOver = new ArrayList<>();
        Map<String, String> renamed = new LinkedHashMap<>();
        Map<String, List<FileToAnalyze>> byAnalyzer = new LinkedHashMap<>();
        // one verdict per blob: a change that names one blob under many paths reads it once
        Map<String, BlobVerdict> verdicts = new HashMap<>();
        int files = 0;
        long bytes = 0;
        boolean overLimit = false;
        List<ChangedFile> changes = new ArrayList<>(ChangeListing.list(git, range));
        // path order decides which files fit under the job's caps, whatever order the listing came in
        changes.sort(Comparator.comparing(ChangedFile::path));
        for (ChangedFile file : changes) {
            deadline.check();
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
            BlobVerdict verdict = verdicts.computeIfAbsent(file.blobId(), blob -> judge(git, file.path(), blob));
            if (verdict.problem() != null) {
                notAnalyzed.add(new NotAnalyzed(file.path(), verdict.problem()));
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
            // once a cap is reached every later file is left out, so the cut is one point in path order
            overLimit = overLimit || files + 1 > maxFiles || bytes + verdict.size() > maxBytes;
            if (overLimit) {
                notAnalyzed.add(new NotAnalyzed(file.path(), overLimitReason()));
                continue;
            }
            files++;
            bytes += verdict.size();
            FileToAnalyze toAnalyze = new FileToAnalyze(file.path(), file.blobId(), null,
                    rules.wholeFiles() ? verdict.allLines() : file.changedLines(),
                    rules.configuration().instructionsFor(file.path()));
            for (String analyzer : enabled) {
                byAnalyzer.computeIfAbsent(analyzer, a -> new ArrayList<>()).add(toAnalyze);
            }
        }
        List<WorkUnit> units = new ArrayList<>();
        byAnalyzer.forEach((analyzer, analysed) -> {
            // the most important files first, so that the first units of a job are the ones that matter
            analysed.sort(ReviewPriority.ORDER);
            int filesPerUnit = AnalyzerRouting.usesLlm(analyzer) ? llmFilesPerUnit : this.filesPerUnit;
            for (int from = 0; from < analysed.size(); from += filesPerUnit) {
                List<FileToAnalyze> slice = analysed.subList(from, Math.min(analysed.size(), from + filesPerUnit));
                String unitId = UUID.nameUUIDFromBytes((jobId + "/" + analyzer + "/" + from).getBytes(StandardCharsets.UTF_8))
                        .toString();
                units.add(new WorkUnit(unitId, jobId, repository, analyzer, slice, rules.priority(),
                        rules.configuration().maxLlmTokens(), rules.configuration().verify()));
            }
        });
        return new PlannedWork(units, notAnalyzed, deleted, carriedOver, renamed);
    }

    /**
     * What planning learnt of a blob without keeping its text.
     *
     * @param size     its size in bytes
     * @param problem  why it is not analysed, or null
     * @param allLines one range over all its lines (for scans)
     */
    private record BlobVerdict(long size, String problem, List<LineRange> allLines) {
    }

    record FileContent(String text, String problem) {
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

    private BlobVerdict judge(Repository git, String path, String blobId) {
        FileContent content = read(git, path, blobId);
        if (content.problem() != null) {
            return new BlobVerdict(0, content.problem(), List.of());
        }
        return new BlobVerdict(content.text().getBytes(StandardCharsets.UTF_8).length, null, allLines(content.text()));
    }

    /** @return the text of the blob, or why it is not analysed (binary, oversized, not UTF-8) */
    FileContent read(Repository git, String path, String blobId) {
        try {
            ObjectLoader loader = git.open(ObjectId.fromString(blobId));
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
            throw new RepositoryProblem("could not read " + path + " at " + blobId + ": " + e.getMessage(), e);
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
