package dev.drep.e2e;

import dev.drep.testsupport.git.TestRepository;
import java.nio.file.Path;

/**
 * A git repository with two commits whose second commit adds known markdown problems, a binary file
 * and a file that is not UTF-8. The problems on lines the second commit did not touch must not be
 * reported.
 */
final class SampleRepository {
    static final String LONG_LINE = "This line is deliberately longer than one hundred and twenty characters so that"
            + " the line-length rule of drep reports it here.";

    final String base;
    final String head;

    private SampleRepository(String base, String head) {
        this.base = base;
        this.head = head;
    }

    static SampleRepository create(Path dir) {
        try (TestRepository repo = TestRepository.init(dir)) {
            String base = repo
                    .write("README.md", "# drep sample\n\nSome text.\n")
                    .write("docs/guide.md", "# Guide\n\nOld line with trailing space \n")
                    .commit("base");
            String head = repo
                    .write("README.md", "# drep sample\n\nSome text.\n"
                            + "New line with trailing space \n"
                            + "#Heading without space\n"
                            + "See https://example.com for more.\n"
                            + "See [the guide](docs/guide.md for the details.\n"
                            + LONG_LINE + "\n")
                    .write("docs/guide.md", "# Guide\n\nOld line with trailing space \n\tIndented with a tab\n")
                    .write("docs/new.md", "# New\n\n```java\nint x = 1;\n")
                    .writeBytes("image.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0})
                    .writeBytes("docs/latin1.md", new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'})
                    .commit("head: add problems");
            return new SampleRepository(base, head);
        }
    }
}
