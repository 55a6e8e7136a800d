package dev.drep.analyzer.llm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The analyzer's own settings ({@code drep.analyzer.*}; environment: {@code DREP_ANALYZER_*}). */
@ConfigMapping(prefix = "drep.analyzer")
public interface AnalyzerConfig {

    /** LLM analyzers ({@code llm-review}, {@code doc-comments}). */
    Llm llm();

    /** The content-addressed analysis cache. */
    Cache cache();

    /** The verifier pass over {@code llm-review}'s grounded findings (task class {@code verify}). */
    Verify verify();

    /** The walkthrough of pull requests ({@code describe} units). */
    Describe describe();

    /** How the walkthrough is asked for (docs/architecture.md, "Describe"). */
    interface Describe {
        /** Diff text one walkthrough call carries at most; files beyond it are listed without a line. */
        @WithDefault("48000")
        int maxPromptChars();

        /** A diff longer than this goes to task class {@code complex}, a shorter one to {@code simple}. */
        @WithDefault("16000")
        int complexAboveChars();

        /** {@code max_tokens} of the walkthrough call. */
        @WithDefault("2048")
        int maxCompletionTokens();
    }

    /** How the verifier confirms or refutes findings (docs/architecture.md, "Verification"). */
    interface Verify {
        /** Whether the verifier runs at all; when false every repository gets {@code verify: off}. */
        @WithDefault("true")
        boolean enabled();

        /** A confirmation with less confidence (0 to 1) leaves the finding unconfirmed ("low confidence"). */
        @WithDefault("0.6")
        double minConfidence();

        /** Lines of code shown above and below each finding's lines. */
        @WithDefault("3")
        int contextLines();

        /** Estimated prompt tokens per verifier call: a unit's findings are packed into calls up to this. */
        @WithDefault("8000")
        int batchTokenBudget();

        /** Findings asked about in one call at most. */
        @WithDefault("20")
        int maxFindingsPerCall();

        /** Verifier calls of one work unit in flight at once. */
        @WithDefault("3")
        int maxParallelCalls();

        /** {@code max_tokens} of each verifier call. */
        @WithDefault("2048")
        int maxCompletionTokens();
    }

    /** How the LLM analyzers use the gateway. */
    interface Llm {
        /** Whether LLM analyzers call the gateway at all; when false their files are named as not analysed. */
        @WithDefault("true")
        boolean enabled();

        /** The gateway model alias asked for; {@code default} lets the gateway pick the model of the task class. */
        @WithDefault("default")
        String model();

        /** Ask for {@code response_format: json_object} (only for providers that support it). */
        @WithDefault("false")
        boolean jsonMode();

        /** Estimated prompt tokens per request: small files are packed into one request up to this. */
        @WithDefault("12000")
        int batchTokenBudget();

        /** Prompt items (file chunks, declarations) per request at most, so that an answer stays complete. */
        @WithDefault("24")
        int maxItemsPerBatch();

        /** Requests of one work unit in flight at once (the gateway enforces the global limits). */
        @WithDefault("5")
        int maxParallelCalls();

        /** {@code max_tokens} of each request. */
        @WithDefault("4096")
        int maxCompletionTokens();

        /** Completion tokens reserved per request against the job's ceiling before the answer's usage is known. */
        @WithDefault("800")
        int expectedCompletionTokens();

        /** Findings kept per file from the model, most severe first. */
        @WithDefault("25")
        int maxFindingsPerFile();

        /** Longer answers are not parsed (the batch is retried once, then named as not analysed). */
        @WithDefault("400000")
        int maxAnswerChars();

        /** Unchanged lines shown around each change. */
        @WithDefault("8")
        int contextLines();

        /** Rendered characters per chunk of a file; larger files are split into chunks by hunks. */
        @WithDefault("32000")
        int chunkChars();

        /** Files with more characters are not reviewed by the LLM and are named with the reason. */
        @WithDefault("400000")
        int maxFileChars();

        /** Declarations per file the model is asked to document (all missing docs are reported; the rest without a proposal). */
        @WithDefault("8")
        int docProposalsPerFile();

        /**
         * How long a call waits, with back-off, for a gateway that is unreachable, restarting, answering 5xx, 408 or
         * 429, or behind an open circuit breaker, before its files are named as not analysed.
         */
        @WithDefault("3m")
        Duration patience();

        /** LLM tokens one job may spend across all analyzer replicas; 0 means no ceiling. */
        @WithDefault("500000")
        long jobTokenCeiling();
    }

    /** The analysis cache. */
    interface Cache {
        /** Whether LLM results are cached by content (blob SHA, analyzer, model, prompt, instructions). */
        @WithDefault("true")
        boolean enabled();

        /** Mixed into every cache key: change it to drop the whole cache (e.g. after re-routing a task class to another model). */
        @WithDefault("v1")
        String namespace();

        /** Entries older than this are deleted. */
        @WithDefault("30d")
        Duration maxAge();
    }
}
