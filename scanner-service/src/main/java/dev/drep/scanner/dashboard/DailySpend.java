package dev.drep.scanner.dashboard;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The LLM use of one repository's jobs that finished on one day (UTC).
 *
 * @param day              the day the jobs finished
 * @param repository       the jobs' repository
 * @param jobs             jobs that used the LLM
 * @param llmCalls         their LLM calls, cache hits included
 * @param promptTokens     their prompt tokens
 * @param completionTokens their completion tokens
 * @param cost             their cost in the gateway's currency unit
 */
public record DailySpend(LocalDate day, String repository, long jobs, long llmCalls, long promptTokens,
        long completionTokens, BigDecimal cost) {
}
