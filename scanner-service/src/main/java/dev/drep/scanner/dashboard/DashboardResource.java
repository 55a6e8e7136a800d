package dev.drep.scanner.dashboard;

import dev.drep.identity.Callers;
import dev.drep.identity.Scopes;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.Authenticated;
import dev.drep.scanner.job.Job;
import dev.drep.scanner.planning.ReviewPublisher;
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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * The dashboard for people: {@code GET /dashboard} lists the recent jobs and the LLM spend per repository over
 * the last days; {@code GET /dashboard/jobs/{id}} shows one job with its profile. Pages are rendered on the
 * server, charts included (inline SVG), so they need no script and no other request, and work offline.
 *
 * <p>The pages need scope {@code jobs:read} and a caller not restricted to one repository. A signed-in caller without
 * them gets a 403 page naming what is missing (not the API's JSON refusal): a person signed in through the OIDC provider
 * arrives here whatever their groups, and must learn why they are not let in.
 */
@Path("/dashboard")
@Produces(MediaType.TEXT_HTML)
@Authenticated
public class DashboardResource {
    private static final Logger LOG = Logger.getLogger(DashboardResource.class);
    /** jobs listed on the dashboard, newest first */
    static final int JOBS_SHOWN = 50;
    /** days of the spend chart, today (UTC) included */
    static final int SPEND_DAYS = 30;

    /** how long the page waits for the review-publisher's acceptance table before it is shown without */
    static final Duration ACCEPTANCE_WAIT = Duration.ofSeconds(5);

    private final JobStages stages;
    private final SpendQuery spend;
    private final ReviewPublisher publisher;
    private final SecurityIdentity caller;

    public DashboardResource(JobStages stages, SpendQuery spend, ReviewPublisher publisher, SecurityIdentity caller) {
        this.caller = caller;
        this.publisher = publisher;
        this.stages = stages;
        this.spend = spend;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance jobs(List<JobRow> jobs, SpendChart spend, AcceptanceTable acceptance,
                String generated);

        static native TemplateInstance job(JobRow job, String commits, ProfileChart profile, String generated);

        static native TemplateInstance notFound(String id);

        static native TemplateInstance forbidden(String problem);
    }

    @GET
    @WithSession
    @Operation(hidden = true)
    public Uni<Response> jobs() {
        Response refusal = refusal();
        if (refusal != null) {
            return Uni.createFrom().item(refusal);
        }
        Instant now = Instant.now();
        LocalDate from = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(SPEND_DAYS - 1L);
        return Job.<Job>findAll(Sort.descending("createdAt").and("id")).page(0, JOBS_SHOWN).list()
                .map(jobs -> jobs.stream().map(job -> JobRow.of(job, now)).toList())
                .chain(rows -> spend.since(from.atStartOfDay(ZoneOffset.UTC).toInstant())
                        .chain(days -> acceptance().map(acceptance -> Response.ok(Templates.jobs(rows,
                                SpendChart.of(days, from, SPEND_DAYS), acceptance, Formats.time(now))).build())));
    }

    @GET
    @Path("/jobs/{id}")
    @WithSession
    @Operation(hidden = true)
    public Uni<Response> job(@PathParam("id") String id) {
        Response refusal = refusal();
        if (refusal != null) {
            return Uni.createFrom().item(refusal);
        }
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

    /** The acceptance table from the review-publisher; the page is shown without it (saying why) when it cannot be read. */
    private Uni<AcceptanceTable> acceptance() {
        return publisher.acceptance().ifNoItem().after(ACCEPTANCE_WAIT)
                .failWith(() -> new IllegalStateException("the review-publisher did not answer within "
                        + ACCEPTANCE_WAIT.toSeconds() + " s"))
                .map(AcceptanceTable::of)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("the dashboard is shown without the acceptance table: %s", e.getMessage());
                    return AcceptanceTable.unavailable(e);
                });
    }

    /** @return the 403 page for a caller who may not see the dashboard, or null when they may */
    private Response refusal() {
        String name = caller.getPrincipal().getName();
        String problem = null;
        if (!caller.hasRole(Scopes.JOBS_READ)) {
            Set<String> scopes = Callers.scopes(caller);
            Set<String> groups = new TreeSet<>(caller.getRoles());
            groups.removeAll(Scopes.ALL);
            problem = "the dashboard needs scope " + Scopes.JOBS_READ + "; '" + name + "' has "
                    + (scopes.isEmpty() ? "no scope" : String.join(", ", scopes))
                    + (groups.isEmpty() ? "" : " (groups: " + String.join(", ", groups) + ")") + ".";
        } else if (Callers.repository(caller).isPresent()) {
            problem = "'" + name + "' is restricted to repository '" + Callers.repository(caller).get()
                    + "'; the dashboard shows every repository's jobs and needs a caller that is not restricted.";
        }
        return problem == null ? null
                : Response.status(Response.Status.FORBIDDEN).entity(Templates.forbidden(problem)).type(MediaType.TEXT_HTML_TYPE)
                        .build();
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
