package dev.drep.benchmarks;

import dev.drep.core.markdown.MarkdownAnalyzer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The CPU time of one {@link MarkdownAnalyzer#analyze} call on {@link MarkdownBenchmark}'s 10,000-line document,
 * measured with the thread's CPU clock: on a machine shared with other builds, wall-clock scores measure the
 * queue for a core more than the code, while CPU time stays close to what a quiet machine shows.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.drep.benchmarks.MarkdownCpuTime [runs]}
 */
public final class MarkdownCpuTime {
    private MarkdownCpuTime() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MarkdownAnalyzer analyzer = new MarkdownAnalyzer();
        for (String newline : new String[] {"\n", "\r\n"}) {
            String document = MarkdownBenchmark.generateDocument(10_000, newline);
            int findings = 0;
            for (int i = 0; i < runs; i++) { // warm-up: let the JIT compile the analyzer and the parser
                findings = analyzer.analyze("docs/handbook.md", document).size();
            }
            long[] nanos = new long[runs];
            for (int i = 0; i < runs; i++) {
                long start = threads.getCurrentThreadCpuTime();
                analyzer.analyze("docs/handbook.md", document);
                nanos[i] = threads.getCurrentThreadCpuTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf("%s: %,d characters, %d findings; CPU time per call: best %.2f ms, median %.2f ms, p90 %.2f ms%n",
                    newline.length() == 1 ? "LF" : "CRLF", document.length(), findings, nanos[0] / 1e6,
                    nanos[runs / 2] / 1e6, nanos[runs * 9 / 10] / 1e6);
        }
    }
}
