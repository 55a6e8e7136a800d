package dev.drep.core.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonAnswerExtractorTest {
    private final JsonAnswerExtractor extractor = new JsonAnswerExtractor(100_000);

    private ExtractedJson.Found found(String answer) {
        ExtractedJson result = extractor.extract(answer);
        assertThat(result).isInstanceOf(ExtractedJson.Found.class);
        return (ExtractedJson.Found) result;
    }

    @Test
    void aFencedBlockWinsOverProseAroundIt() {
        ExtractedJson.Found f = found("Here you go:\n```json\n{\"findings\":[{\"line\":3}]}\n```\nHope it helps {not json}");
        assertThat(f.method()).isEqualTo(ExtractedJson.Method.FENCED);
        assertThat(f.json().path("findings").get(0).path("line").asInt()).isEqualTo(3);
        assertThat(f.truncated()).isFalse();
    }

    @Test
    void aBareAnswerIsParsedDirectly() {
        ExtractedJson.Found f = found("  {\"findings\": []}\n");
        assertThat(f.method()).isEqualTo(ExtractedJson.Method.DIRECT);
        assertThat(f.json().path("findings").isArray()).isTrue();
    }

    @Test
    void jsonBetweenProseIsFoundEvenAfterBracesInTheProse() {
        ExtractedJson.Found f = found("I looked at {2} files. Result: {\"findings\":[{\"line\":7}]} Done.");
        assertThat(f.method()).isEqualTo(ExtractedJson.Method.EMBEDDED);
        assertThat(f.json().path("findings").get(0).path("line").asInt()).isEqualTo(7);
    }

    @Test
    void trailingCommasAndSingleQuotesAreRepaired() {
        ExtractedJson.Found f = found("{'findings': [{'path': 'a.py', 'line': 2, 'message': \"it's wrong\",},],}");
        assertThat(f.method()).isEqualTo(ExtractedJson.Method.REPAIRED);
        JsonNode entry = f.json().path("findings").get(0);
        assertThat(entry.path("path").asText()).isEqualTo("a.py");
        assertThat(entry.path("message").asText()).isEqualTo("it's wrong");
        assertThat(f.repairs()).isNotEmpty();
    }

    @Test
    void unquotedKeysPythonLiteralsAndCommentsAreRepaired() {
        ExtractedJson.Found f = found("{findings: [{path: \"a.py\", line: 4, ok: True, fix: None} // one\n]}");
        JsonNode entry = f.json().path("findings").get(0);
        assertThat(entry.path("line").asInt()).isEqualTo(4);
        assertThat(entry.path("ok").asBoolean()).isTrue();
        assertThat(entry.path("fix").isNull()).isTrue();
    }

    @Test
    void aMissingBraceBeforeTheClosingBracketIsAdded() {
        ExtractedJson.Found f = found("{\"findings\":[{\"line\":1},{\"line\":2]}");
        assertThat(f.json().path("findings")).hasSize(2);
        assertThat(f.json().path("findings").get(1).path("line").asInt()).isEqualTo(2);
    }

    @Test
    void outputCutOffInsideAStringKeepsTheCompleteEntriesOnly() {
        ExtractedJson.Found f = found("```json\n{\"findings\":[{\"path\":\"a.py\",\"line\":1,\"message\":\"ok\"},"
                + "{\"path\":\"b.py\",\"line\":9,\"message\":\"this message was cut of");
        assertThat(f.method()).isEqualTo(ExtractedJson.Method.REPAIRED);
        assertThat(f.truncated()).isTrue();
        JsonNode findings = f.json().path("findings");
        assertThat(findings).hasSize(2);
        assertThat(findings.get(0).path("message").asText()).isEqualTo("ok");
        assertThat(findings.get(1).has("message")).isFalse();
        assertThat(findings.get(1).path("line").asInt()).isEqualTo(9);
    }

    @Test
    void outputCutOffAfterAKeyOrAColonIsClosed() {
        assertThat(found("{\"findings\":[{\"line\":1}], \"summary\":").json().path("findings")).hasSize(1);
        assertThat(found("{\"findings\":[{\"line\":1}], \"summ").json().path("findings")).hasSize(1);
        assertThat(found("{\"findings\":[").json().path("findings")).isEmpty();
    }

    @Test
    void proseWithoutJsonIsUnusable() {
        ExtractedJson result = extractor.extract("The code looks good to me, no issues found.");
        assertThat(result).isEqualTo(new ExtractedJson.Unusable("the answer contains no JSON"));
        assertThat(extractor.extract("   ")).isInstanceOf(ExtractedJson.Unusable.class);
        assertThat(extractor.extract(null)).isInstanceOf(ExtractedJson.Unusable.class);
    }

    @Test
    void enormousAnswersAreRefusedWithoutParsing() {
        ExtractedJson result = new JsonAnswerExtractor(1_000).extract("{\"findings\":[" + "{\"line\":1},".repeat(500) + "]}");
        assertThat(result).isInstanceOf(ExtractedJson.Unusable.class);
        assertThat(((ExtractedJson.Unusable) result).reason()).contains("over the limit of 1000");
    }

    @Test
    void strayClosingBracketsAndTrailingTextAreIgnored() {
        ExtractedJson.Found f = found("{\"a\": [1, 2]]}, trailing words {");
        assertThat(f.json().path("a")).hasSize(2);
    }
}
