package dev.drep.scanner.dashboard;

import dev.drep.identity.Callers;
import dev.drep.identity.Scopes;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import dev.drep.scanner.job.Job;
import dev.drep.scanner.profile.JobStages;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The dashboard for people: {@code GET /dashboard} lists the recent jobs and the LLM spend per repository over
 * the last days; {@code GET /dashboard/jobs/{id}} shows one job with its profile. Pages are rendered on the
 * server, charts included (inline SVG), so they need no script and no other request, and work offline.
 */
@Path("/dashboard")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Scopes.JOBS_READ)
public class DashboardResource {
    /** jobs listed on the dashboard, newest first */
    static final int JOBS_SHOWN = 50;
    /** days of the spend chart, today (UTC) included */
    static final int SPEND_DAYS = 30;

    private final JobStages stages;
    private final SpendQuery spend;
    private final SecurityIdentity caller;

    public DashboardResource(JobStages stages, SpendQuery spend, SecurityIdentity caller) {
        this.caller = caller;
        this.stages = stages;
        this.spend = spend;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance jobs(List<JobRow> jobs, SpendChart spend, String generated);

        static native TemplateInstance job(JobRow job, String commits, ProfileChart profile, String generated);

        static native TemplateInstance notFound(String id);
    }

    @GET
    @WithSession
    @Operation(hidden = true)
    public Uni<TemplateInstance> jobs() {
        Callers.requireUnrestricted(caller, "the dashboard (all repositories' jobs and spend)");
        Instant now = Instant.now();
        LocalDate from = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(SPEND_DAYS - 1L);
        return Job.<Job>findAll(Sort.descending("createdAt").and("id")).page(0, JOBS_SHOWN).list()
                .map(jobs -> jobs.stream().map(job -> JobRow.of(job, now)).toList())
                .chain(rows -> spend.since(from.atStartOfDay(ZoneOffset.UTC).toInstant())
                        .map(days -> Templates.jobs(rows, SpendChart.of(days, from, SPEND_DAYS), Formats.time(now))));
    }

    @GET
    @Path("/jobs/{id}")
    @WithSession
    @Operation(hidden = true)
    public Uni<Response> job(@PathParam("id") String id) {
        Callers.requireUnrestricted(caller, "the dashboard");
        UUID jobId = uuidOrNull(id);
        if (jobId == null) {
            return Uni.createFrom().item(notFound(id));
        }
        return Job.<Job>findById(jobId).chain(job -> {
            if (job == null) {
                return Uni.createFrom().item(notFound(id));
            }
            Instant now = Instant.now();
            return stages.of(jobId).map(spans -> Response.ok(Templates.job(JobRow.of(job, now), commits(job),
                    ProfileChart.of(job.view(spans).profile()), Formats.time(now))).build());
        });
    }

    private static Response notFound(String id) {
        return Response.status(Response.Status.NOT_FOUND).entity(Templates.notFound(id)).type(MediaType.TEXT_HTML_TYPE)
                .build();
    }

    private static String commits(Job job) {
        if (job.headCommit == null) {
            return "";
        }
        return job.baseCommit == null ? job.headCommit : job.baseCommit + " .. " + job.headCommit;
    }

    private static UUID uuidOrNull(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
