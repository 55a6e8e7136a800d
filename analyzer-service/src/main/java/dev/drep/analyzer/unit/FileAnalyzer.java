package dev.drep.analyzer.unit;

import dev.drep.contracts.Finding;
import dev.drep.contracts.FileToAnalyze;
import java.util.List;

/** An analyzer that looks at one file at a time. Implementations are CDI beans found by {@link #id()}. */
public interface FileAnalyzer {

    /** @return the id work units name, e.g. {@code markdown} */
    String id();

    /** @return every finding in the file; the caller keeps those on changed lines */
    List<Finding> analyze(FileToAnalyze file);
}
