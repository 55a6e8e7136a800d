package dev.drep.gateway.ledger;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import dev.drep.identity.Callers;
import dev.drep.identity.Scopes;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import dev.drep.gateway.error.GatewayException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code GET /api/usage}: the usage ledger, filtered by repository, job, model (the alias or the
 * provider model), key and time ({@code from} inclusive, {@code to} exclusive; ISO-8601 instants or
 * UTC dates), with totals over every matching request and the most recent ones listed. A caller restricted to one
 * repository (an API token with a repository) reads that repository's usage only.
 */
@Path("/api/usage")
@RolesAllowed(Scopes.USAGE_READ)
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    /** Records listed when the client does not say. */
    static final int DEFAULT_LIMIT = 100;
    /** Most records listed at once. */
    static final int MAX_LIMIT = 1000;
    private final SecurityIdentity caller;

    /** @param caller who asks (a repository restriction limits what it reads) */
    public UsageResource(SecurityIdentity caller) {
        this.caller = caller;
    }

    /**
     * @param repository only this repository
     * @param job        only this job
     * @param model      only this alias or provider model
     * @param from       only requests at or after this instant or UTC date
     * @param to         only requests before this instant or UTC date
     * @param limit      records to list (1 to 1000, default 100)
     * @param key        only requests made with this key (its id)
     * @param groupBy    {@code key} or {@code repository}: totals per key or repository besides the records
     * @return totals and records
     */
    @GET
    @WithSession
    @Operation(operationId = "getUsage", summary = "The LLM usage ledger: totals and the most recent requests, filtered")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", description = "a query parameter is invalid (the answer names it)")
    public Uni<UsageReport> usage(@RestQuery String repository, @RestQuery String job, @RestQuery String model,
            @RestQuery String from, @RestQuery String to, @RestQuery Integer limit, @RestQuery String key,
            @RestQuery String groupBy) {
        int listed = limit == null ? DEFAULT_LIMIT : limit;
        if (listed < 1 || listed > MAX_LIMIT) {
            throw GatewayException.invalidRequest("limit", "invalid_value",
                    "'limit' must be between 1 and " + MAX_LIMIT + ".");
        }
        String grouping = groupBy == null || groupBy.isBlank() ? null : groupBy.trim();
        if (grouping != null && !grouping.equals("key") && !grouping.equals("repository")) {
            throw GatewayException.invalidRequest("groupBy", "invalid_value",
                    "'groupBy' must be 'key' or 'repository', got '" + grouping + "'.");
        }
        Optional<String> restricted = Callers.repository(caller);
        if (restricted.isPresent()) {
            if (repository != null && !repository.isBlank()) {
                Callers.requireRepository(caller, repository);
            }
            repository = restricted.get();
        }
        List<String> where = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (repository != null && !repository.isBlank()) {
            where.add("repository = :repository");
            parameters.and("repository", repository);
        }
        if (job != null && !job.isBlank()) {
            where.add("job = :job");
            parameters.and("job", job);
        }
        if (model != null && !model.isBlank()) {
            where.add("(alias = :model or model = :model)");
            parameters.and("model", model);
        }
        if (key != null && !key.isBlank()) {
            where.add("keyId = :key");
            try {
                parameters.and("key", java.util.UUID.fromString(key.trim()));
            } catch (IllegalArgumentException e) {
                throw GatewayException.invalidRequest("key", "invalid_value",
                        "'key' must be a key's id (GET /api/keys lists them), got '" + key + "'.");
            }
        }
        if (from != null && !from.isBlank()) {
            where.add("createdAt >= :from");
            parameters.and("from", instant("from", from));
        }
        if (to != null && !to.isBlank()) {
            where.add("createdAt < :to");
            parameters.and("to", instant("to", to));
        }
        String condition = where.isEmpty() ? "1 = 1" : String.join(" and ", where);
        String sums = "count(r), coalesce(sum(r.promptTokens), 0), coalesce(sum(r.completionTokens), 0), "
                + "coalesce(sum(r.totalTokens), 0), coalesce(sum(r.costUsd), 0), "
                + "coalesce(sum(case when r.cacheHit = true then 1 else 0 end), 0), "
                + "coalesce(sum(case when r.usageEstimated = true then 1 else 0 end), 0) ";
        String totalsQuery = "select " + sums + "from UsageRecord r where " + condition;
        Uni<UsageReport.Totals> totals = Panache.getSession().chain(session -> {
            var query = session.createSelectionQuery(totalsQuery, Object[].class);
            parameters.map().forEach(query::setParameter);
            return query.getSingleResult();
        }).map(UsageResource::totals);
        Uni<List<UsageReport.Group>> groups = grouping == null ? Uni.createFrom().nullItem()
                : Panache.getSession().chain(session -> {
                    String column = grouping.equals("key") ? "r.keyId" : "r.repository";
                    var query = session.createSelectionQuery("select " + column + ", " + sums + "from UsageRecord r "
                            + "where " + condition + " group by " + column + " order by coalesce(sum(r.totalTokens), 0) "
                            + "desc, count(r) desc", Object[].class);
                    parameters.map().forEach(query::setParameter);
                    return query.getResultList();
                }).map(rows -> rows.stream().map(row -> {
                    Object[] rest = java.util.Arrays.copyOfRange(row, 1, row.length);
                    String value = row[0] == null ? null : row[0].toString();
                    return new UsageReport.Group(grouping.equals("key") ? value : null,
                            grouping.equals("repository") ? value : null, totals(rest));
                }).toList());
        return totals.chain(sumsFound -> groups.chain(grouped -> UsageRecord.<UsageRecord>find(
                        condition + " order by createdAt desc, id", parameters).page(Page.ofSize(listed)).list()
                .map(records -> new UsageReport(sumsFound, records.stream().map(UsageReport.Entry::of).toList(),
                        listed, sumsFound.requests() > records.size(), grouped))));
    }

    private static UsageReport.Totals totals(Object[] row) {
        return new UsageReport.Totals(number(row[0]), number(row[1]), number(row[2]), number(row[3]),
                row[4] instanceof BigDecimal cost ? cost : new BigDecimal(row[4].toString()), number(row[5]),
                number(row[6]));
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw GatewayException.invalidRequest(name, "invalid_value", "'" + name
                        + "' must be an ISO-8601 instant (2026-03-01T12:00:00Z) or a date (2026-03-01).");
            }
        }
    }
}
