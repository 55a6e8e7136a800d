package dev.drep.analyzer.unit;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.Finding;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.WorkUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Runs a unit's analyzer over its files and keeps the findings on added or changed lines. A file the
 * analyzer fails on is named as not analysed with the reason; the other files still count.
 */
@ApplicationScoped
public class UnitAnalysis {
    private static final Logger LOG = Logger.getLogger(UnitAnalysis.class);

    private final Map<String, FileAnalyzer> analyzers = new HashMap<>();

    public UnitAnalysis(Instance<FileAnalyzer> available) {
        available.forEach(a -> analyzers.put(a.id(), a));
    }

    /** @return the unit's result; never throws for a problem with one file */
    public UnitResult run(WorkUnit unit) {
        long start = System.nanoTime();
        List<Finding> findings = new ArrayList<>();
        List<NotAnalyzed> notAnalyzed = new ArrayList<>();
        FileAnalyzer analyzer = analyzers.get(unit.analyzer());
        for (FileToAnalyze file : unit.files()) {
            if (analyzer == null) {
                notAnalyzed.add(new NotAnalyzed(file.path(), "unknown analyzer '" + unit.analyzer() + "'"));
                continue;
            }
            if (file.content() == null) {
                notAnalyzed.add(new NotAnalyzed(file.path(), "the work unit carried no content for this file"));
                continue;
            }
            try {
                for (Finding finding : analyzer.analyze(file)) {
                    if (file.isChanged(finding.line())) {
                        findings.add(finding);
                    }
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "analyzer %s failed on %s (job %s)", unit.analyzer(), file.path(), unit.jobId());
                notAnalyzed.add(new NotAnalyzed(file.path(), "analyzer " + unit.analyzer() + " failed: " + e));
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new UnitResult(unit.unitId(), unit.jobId(), unit.analyzer(), findings, notAnalyzed, millis);
    }
}
