package dev.drep.gateway.metadata;

import dev.drep.gateway.error.GatewayException;

/**
 * What a drep service tells the gateway about a request through {@code X-Drep-*} headers. The
 * gateway uses it for limits, budgets and the ledger; OpenAI clients that send none get the
 * defaults.
 *
 * @param repository the repository under review ({@code X-Drep-Repository}), or {@code null}
 * @param job        the drep job the request belongs to ({@code X-Drep-Job}), or {@code null}
 * @param priority   {@code X-Drep-Priority}; {@link Priority#BATCH} when absent
 * @param taskClass  the kind of task, e.g. {@code simple} or {@code complex}
 *                   ({@code X-Drep-Task-Class}), or {@code null}
 */
public record DrepMetadata(String repository, String job, Priority priority, String taskClass) {

    /** Header naming the repository. */
    public static final String REPOSITORY_HEADER = "X-Drep-Repository";
    /** Header naming the job. */
    public static final String JOB_HEADER = "X-Drep-Job";
    /** Header giving the priority. */
    public static final String PRIORITY_HEADER = "X-Drep-Priority";
    /** Header giving the task class. */
    public static final String TASK_CLASS_HEADER = "X-Drep-Task-Class";
    /** Key of the job id in the log context (MDC): JSON log lines carry it under {@code mdc.jobId}. */
    public static final String JOB_LOG_KEY = "jobId";

    /**
     * Reads the metadata from raw header values.
     *
     * @param repository {@code X-Drep-Repository}, may be {@code null}
     * @param job        {@code X-Drep-Job}, may be {@code null}
     * @param priority   {@code X-Drep-Priority}, may be {@code null}
     * @param taskClass  {@code X-Drep-Task-Class}, may be {@code null}
     * @return the metadata; blank values count as absent
     * @throws GatewayException 400 when the priority is present but neither {@code interactive} nor {@code batch}
     */
    public static DrepMetadata fromHeaders(String repository, String job, String priority, String taskClass) {
        Priority parsed = Priority.BATCH;
        if (priority != null && !priority.isBlank()) {
            parsed = Priority.parse(priority).orElseThrow(() -> GatewayException.invalidRequest(PRIORITY_HEADER,
                    "invalid_priority",
                    "Header " + PRIORITY_HEADER + " must be 'interactive' or 'batch' (default batch)."));
        }
        return new DrepMetadata(blankToNull(repository), blankToNull(job), parsed, blankToNull(taskClass));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
