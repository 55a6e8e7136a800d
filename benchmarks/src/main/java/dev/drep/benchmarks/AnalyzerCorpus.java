package dev.drep.benchmarks;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.LineRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic, fixed-seed corpus of pull requests for {@link AnalyzerThroughputBenchmark}: about 20
 * changed files each, of mixed languages (Python, Java, TypeScript, JavaScript, Go, plus markdown,
 * YAML and lock files) and sizes (60 % small, 30 % medium, 10 % large), new files (every line
 * changed) and modified ones (1-4 hunks). Public functions are documented or not, at random, so the
 * doc-comment analyzer has work.
 */
final class AnalyzerCorpus {

    /** One pull request. */
    record PullRequest(int number, List<FileToAnalyze> files) {
    }

    private final Random random;

    AnalyzerCorpus(long seed) {
        this.random = new Random(seed);
    }

    List<PullRequest> pullRequests(int count) {
        List<PullRequest> prs = new ArrayList<>(count);
        for (int n = 1; n <= count; n++) {
            int files = 16 + random.nextInt(9);
            List<FileToAnalyze> changed = new ArrayList<>(files);
            for (int f = 0; f < files; f++) {
                changed.add(file(n, f));
            }
            prs.add(new PullRequest(n, changed));
        }
        return prs;
    }

    /** The same pull request after a second push that changed {@code changedFiles} of its files. */
    PullRequest repush(PullRequest pr, int changedFiles) {
        List<FileToAnalyze> files = new ArrayList<>(pr.files());
        for (int i = 0; i < changedFiles && i < files.size(); i++) {
            int index = random.nextInt(files.size());
            FileToAnalyze old = files.get(index);
            files.set(index, new FileToAnalyze(old.path(), old.blobSha() + "-2", old.content() + "\n",
                    old.changedLines()));
        }
        return new PullRequest(pr.number(), files);
    }

    private FileToAnalyze file(int pr, int index) {
        int kind = random.nextInt(100);
        int size = random.nextInt(100) < 60 ? 20 + random.nextInt(60) : random.nextInt(100) < 75
                ? 150 + random.nextInt(250) : 1_000 + random.nextInt(1_500);
        String base = "pr" + pr + "/module" + (index % 4) + "/";
        String path;
        String content;
        if (kind < 30) {
            path = base + "file_" + index + ".py";
            content = python(size);
        } else if (kind < 50) {
            path = "src/main/java/pr" + pr + "/File" + index + ".java";
            content = java("File" + index, size);
        } else if (kind < 65) {
            path = base + "file" + index + ".ts";
            content = ecma(size, true);
        } else if (kind < 72) {
            path = base + "file" + index + ".js";
            content = ecma(size, false);
        } else if (kind < 87) {
            path = base + "file_" + index + ".go";
            content = go(size);
        } else if (kind < 93) {
            path = base + "notes" + index + ".md";
            content = markdown(size);
        } else if (kind < 98) {
            path = base + "config" + index + ".yaml";
            content = yaml(size);
        } else {
            path = base + "package-lock.json";
            content = yaml(size);
        }
        int lines = (int) content.lines().count();
        return new FileToAnalyze(path, "blob-" + pr + "-" + index + "-" + random.nextLong(), content,
                changed(lines));
    }

    private List<LineRange> changed(int lines) {
        if (random.nextInt(100) < 30) {
            return List.of(new LineRange(1, lines));
        }
        List<LineRange> ranges = new ArrayList<>();
        int hunks = 1 + random.nextInt(4);
        int cursor = 1;
        for (int h = 0; h < hunks && cursor < lines; h++) {
            int start = cursor + random.nextInt(Math.max(1, lines / hunks));
            if (start > lines) {
                break;
            }
            int end = Math.min(lines, start + 2 + random.nextInt(22));
            ranges.add(new LineRange(start, end));
            cursor = end + 2;
        }
        return ranges.isEmpty() ? List.of(new LineRange(1, Math.min(lines, 5))) : ranges;
    }

    private boolean documented() {
        return random.nextInt(100) < 60;
    }

    private String python(int size) {
        StringBuilder out = new StringBuilder("import math\n\n\n");
        int fn = 0;
        while (lines(out) < size) {
            if (fn % 5 == 4) {
                out.append("class Shape").append(fn).append(":\n");
                if (documented()) {
                    out.append("    \"\"\"A shape with an area and a perimeter.\"\"\"\n\n");
                }
                out.append("    def area(self, scale):\n        value = self.width * self.height\n")
                        .append("        return value * scale\n\n");
            } else {
                out.append("def compute_").append(fn).append("(items, factor):\n");
                if (documented()) {
                    out.append("    \"\"\"Scales every item by factor and sums the results.\"\"\"\n");
                }
                out.append("    total = 0\n    for item in items:\n        total += item * factor\n")
                        .append("    return math.floor(total)\n\n\n");
            }
            fn++;
        }
        return out.toString();
    }

    private String java(String name, int size) {
        StringBuilder out = new StringBuilder("package bench;\n\nimport java.util.List;\n\n");
        out.append(documented() ? "/** Computes totals of orders for the benchmark corpus. */\n" : "");
        out.append("public class ").append(name).append(" {\n");
        int fn = 0;
        while (lines(out) < size - 2) {
            if (documented()) {
                out.append("    /** Sums the values scaled by the factor. */\n");
            }
            out.append("    public long total").append(fn).append("(List<Integer> values, int factor) {\n")
                    .append("        long sum = 0;\n        for (int v : values) {\n            sum += (long) v * factor;\n")
                    .append("        }\n        return sum;\n    }\n\n");
            fn++;
        }
        return out.append("}\n").toString();
    }

    private String ecma(int size, boolean typescript) {
        StringBuilder out = new StringBuilder("import { log } from './log';\n\n");
        int fn = 0;
        while (lines(out) < size) {
            if (documented()) {
                out.append("/** Scales every value and returns the sum. */\n");
            }
            out.append("export function total").append(fn).append(typescript ? "(values: number[], factor: number): number {\n"
                    : "(values, factor) {\n")
                    .append("  let sum = 0;\n  for (const v of values) {\n    sum += v * factor;\n  }\n")
                    .append("  log(sum);\n  return sum;\n}\n\n");
            fn++;
        }
        return out.toString();
    }

    private String go(int size) {
        StringBuilder out = new StringBuilder("package bench\n\nimport \"fmt\"\n\n");
        int fn = 0;
        while (lines(out) < size) {
            if (documented()) {
                out.append("// Total").append(fn).append(" scales every value and returns the sum.\n");
            }
            out.append("func Total").append(fn).append("(values []int, factor int) int {\n")
                    .append("\tsum := 0\n\tfor _, v := range values {\n\t\tsum += v * factor\n\t}\n")
                    .append("\tfmt.Println(sum)\n\treturn sum\n}\n\n");
            fn++;
        }
        return out.toString();
    }

    private String markdown(int size) {
        StringBuilder out = new StringBuilder("# Notes\n\n");
        while (lines(out) < size) {
            out.append("Some text about the change, see https://example.com/docs for details. \n\n## Section\n\n");
        }
        return out.toString();
    }

    private String yaml(int size) {
        StringBuilder out = new StringBuilder("settings:\n");
        int i = 0;
        while (lines(out) < size) {
            out.append("  key").append(i).append(": value").append(i++).append('\n');
        }
        return out.toString();
    }

    private static int lines(CharSequence text) {
        int lines = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
