package dev.drep.contracts;

/** The AMQP 1.0 addresses the services exchange messages on. */
public final class Addresses {
    /** Work units from the scanner to the analyzers (a queue: analyzer replicas compete for units). */
    public static final String ANALYSIS_REQUESTS = "drep.analysis.requests";
    /** Results of analysed work units, from the analyzers to the review-publisher. */
    public static final String ANALYSIS_RESULTS = "drep.analysis.results";
    /** Job progress and completion, from the review-publisher to the scanner that owns jobs. */
    public static final String JOB_EVENTS = "drep.job.events";

    private Addresses() {
    }
}
