package dev.drep.contracts;

/**
 * Where a job's time goes: the stages of the per-job profile ({@code GET /api/jobs/{id}}, {@code drep review
 * --profile}). Every service records the intervals it spends in each stage as {@link StageSpan}s.
 */
public enum Stage {
    /** waiting in a queue: the job before planning, a unit before an analyzer takes it, a result or event in transit */
    QUEUE("waiting in a queue"),
    /** git fetch, revision resolution and diff in the scanner */
    GIT("git fetch and diff"),
    /** the scanner's planning: configuration, routing, work units, registering the plan */
    PLANNING("planning"),
    /** parsing and deterministic analysis in an analyzer (also answer parsing of LLM analyzers) */
    ANALYSIS("parsing and analysis"),
    /** waiting for an LLM slot in the gateway (its admission queue) */
    LLM_WAIT("waiting for an LLM slot"),
    /** inside the LLM call (provider time, retries included) */
    LLM_CALL("inside the LLM call"),
    /** database work of any service on the job's behalf */
    DATABASE("database"),
    /** composing the review and posting it */
    PUBLISHING("publishing");

    private final String label;

    Stage(String label) {
        this.label = label;
    }

    /** @return a short description for people, e.g. {@code waiting for an LLM slot} */
    public String label() {
        return label;
    }
}
