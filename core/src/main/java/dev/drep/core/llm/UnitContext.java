package dev.drep.core.llm;

/**
 * Who a unit's LLM calls are for (sent as {@code X-Drep-*} headers, and the job's token ceiling).
 *
 * @param jobId      the job
 * @param repository the repository's display name
 * @param priority   {@code interactive} or {@code batch}
 */
public record UnitContext(String jobId, String repository, String priority) {
}
