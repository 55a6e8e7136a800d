package dev.drep.paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatternPolicyTest {

    private final PatternPolicy policy = PatternPolicy.RESERVATIONS;

    @Test
    void acceptsOrdinaryReservations() {
        List<PathPattern> patterns = policy.validate(List.of("src/app.py", "docs/**", "*.md", "build/", "a\\*b"));
        assertThat(patterns).extracting(PathPattern::text)
                .containsExactly("src/app.py", "docs/**", "*.md", "build/", "a\\*b");
    }

    @Test
    void rejectsAnEmptyList() {
        assertThatThrownBy(() -> policy.validate(List.of()))
                .isInstanceOf(InvalidPatternException.class)
                .hasMessageContaining("no patterns were given");
        assertThatThrownBy(() -> policy.validate((List<String>) null)).hasMessageContaining("no patterns were given");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            /src/app.py          | absolute path
            C:\\repo\\src        | absolute path
            C:/repo/src          | absolute path
            \\\\server\\share    | absolute path
            ~/notes.md           | home directory
            src/../secrets       | '..' segment
            ..                   | '..' segment
            ./src/**             | '.' segment
            src//app.py          | empty segment
            src\\main\\App.java  | use '/' to separate directories
            *                    | matches every path
            **                   | matches every path
            **/*                 | matches every path
            "   "                | empty
            src/[ab              | never closed
            """)
    void rejectsWithAClearMessage(String pattern, String problem) {
        assertThatThrownBy(() -> policy.validate(List.of("ok/**", pattern)))
                .isInstanceOf(InvalidPatternException.class)
                .hasMessageStartingWith("patterns:2: invalid pattern")
                .hasMessageContaining(problem);
    }

    @Test
    void matchEverythingNeedsExplicitPermission() {
        assertThat(policy.allowingMatchEverything().validate(List.of("**"))).hasSize(1);
        assertThat(policy.allowMatchEverything()).isFalse();
    }

    @Test
    void rejectsOverLongPatternsAndNul() {
        PatternPolicy strict = new PatternPolicy(MatchOptions.CASE_SENSITIVE, 20, false);
        assertThatThrownBy(() -> strict.validate("src/" + "a".repeat(20)))
                .hasMessageContaining("24 characters long; the limit is 20");
        assertThatThrownBy(() -> policy.validate("src/\0")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> new PatternPolicy(MatchOptions.CASE_SENSITIVE, 5_000, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and 4096");
    }

    @Test
    void listsWithNullEntriesNameThePosition() {
        List<String> patterns = new ArrayList<>();
        patterns.add("src/**");
        patterns.add(null);
        assertThatThrownBy(() -> policy.validate(patterns)).hasMessageContaining("patterns:2").hasMessageContaining(
                "no pattern given");
    }

    @Test
    void usesTheConfiguredCaseMode() {
        PatternPolicy insensitive = new PatternPolicy(MatchOptions.CASE_INSENSITIVE, 100, false);
        assertThat(insensitive.validate("SRC/**").covers("src/a")).isTrue();
    }
}
