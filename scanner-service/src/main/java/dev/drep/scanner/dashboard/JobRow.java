package dev.drep.scanner.dashboard;

import dev.drep.scanner.job.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One job as the dashboard shows it, every value already written for people.
 *
 * @param id         the job id
 * @param repository what is reviewed (user-controlled: the template escapes it)
 * @param kind       local, pull request or scan
 * @param status     e.g. {@code DONE}
 * @param statusClass CSS class of the status: {@code done}, {@code failed} or {@code running}
 * @param created    when the job was accepted (UTC)
 * @param finished   when it reached its final status (UTC), or empty
 * @param duration   from acceptance to the final status, or to now with "(running)"
 * @param errors     error findings
 * @param warnings   warning findings
 * @param infos      info findings
 * @param units      units done of units planned, e.g. {@code 3 / 4}
 * @param cost       LLM cost with four decimals
 * @param message    why the job failed, or a note; may be empty
 */
public record JobRow(String id, String repository, String kind, String status, String statusClass, String created,
        String finished, String duration, int errors, int warnings, int infos, String units, String cost,
        String message) {

    /** @return the first eight characters of the id, enough to tell recent jobs apart */
    public String shortId() {
        return id.substring(0, Math.min(8, id.length()));
    }

    /** @return the row of {@code job}, its running duration measured up to {@code now} */
    public static JobRow of(Job job, Instant now) {
        boolean finalStatus = job.status.isFinal();
        Instant end = job.finishedAt != null ? job.finishedAt : now;
        long millis = job.createdAt == null ? 0 : Math.max(0, Duration.between(job.createdAt, end).toMillis());
        String duration = Formats.duration(millis) + (finalStatus ? "" : " (running)");
        String statusClass = switch (job.status) {
            case DONE -> "done";
            case FAILED -> "failed";
            default -> "running";
        };
        return new JobRow(job.id.toString(), job.repository == null ? "" : job.repository,
                job.kind.name().toLowerCase(Locale.ROOT).replace('_', ' '), job.status.name(), statusClass,
                Formats.time(job.createdAt), Formats.time(job.finishedAt), duration, job.errorCount,
                job.warningCount, job.infoCount, job.unitsDone + " / " + job.unitsTotal, Formats.cost(job.llmCost),
                job.message == null ? "" : job.message);
    }
}
