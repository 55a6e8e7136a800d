package dev.drep.analyzer.markdown;

import dev.drep.analyzer.unit.FileAnalyzer;
import dev.drep.contracts.Finding;
import dev.drep.contracts.FileToAnalyze;
import dev.drep.core.markdown.MarkdownAnalyzer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The ten markdown checks of the original drep, from {@link MarkdownAnalyzer}: a CommonMark parse and a line scan, held to markdownlint. */
@ApplicationScoped
public class MarkdownFileAnalyzer implements FileAnalyzer {
    private final MarkdownAnalyzer analyzer = new MarkdownAnalyzer();

    @Override
    public String id() {
        return "markdown";
    }

    @Override
    public List<Finding> analyze(FileToAnalyze file) {
        return analyzer.analyze(file.path(), file.content());
    }
}
