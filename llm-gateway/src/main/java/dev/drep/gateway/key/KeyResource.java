package dev.drep.gateway.key;

import dev.drep.gateway.error.GatewayException;
import dev.drep.gateway.model.ModelCatalog;
import dev.drep.identity.Callers;
import dev.drep.identity.Scopes;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;

/**
 * Keys: {@code POST /api/keys} issues an API token (scope {@code llm:use}, restricted to the key's repository if it
 * names one) at the scanner on the admin's behalf and stores the key's policy (allowed aliases, budgets, RPM/TPM);
 * the answer shows the token once. {@code GET /api/keys} lists the keys with their policy and what they spent, never
 * a token; {@code DELETE /api/keys/{id}} revokes the token at the scanner and ends the policy. Admins only; an admin
 * token restricted to a repository manages that repository's keys only.
 */
@Path("/api/keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Scopes.ADMIN)
public class KeyResource {

    private static final Logger LOG = Logger.getLogger(KeyResource.class);
    /** As the scanner's token names. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._:/@-]{0,199}");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]*(/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+");

    private final KeyStore store;
    private final Keys keys;
    private final ScannerTokens scanner;
    private final ModelCatalog catalog;
    private final SecurityIdentity caller;

    /**
     * @param store   the policies
     * @param keys    the policies as requests read them (forgotten here on delete)
     * @param scanner the scanner's token API
     * @param catalog the model aliases (a key's list is checked against them)
     * @param caller  the admin
     */
    public KeyResource(KeyStore store, Keys keys, ScannerTokens scanner, ModelCatalog catalog, SecurityIdentity caller) {
        this.store = store;
        this.keys = keys;
        this.scanner = scanner;
        this.catalog = catalog;
        this.caller = caller;
    }

    /**
     * @param request       the key's name, repository, aliases and limits
     * @param authorization the admin's own {@code Authorization}, sent on to the scanner
     * @return 201 with the key (shown only here) and its policy
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createKey", summary = "Create a key: an API token with llm:use and a policy of allowed "
            + "model aliases, budgets and limits; the answer is the only time the key is shown")
    @APIResponse(responseCode = "201", description = "the key (shown only in this answer) and its policy",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CreatedKey.class)))
    @APIResponse(responseCode = "400", description = "a field is missing or invalid (the answer names it)")
    @APIResponse(responseCode = "503", description = "the scanner, which issues the key's token, did not answer")
    public Uni<Response> create(KeyRequest request, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        KeyRequest valid = validate(request);
        String admin = caller.getPrincipal().getName();
        return scanner.issue(authorization, valid.name(), valid.repository(), valid.expiresIn())
                .chain(issued -> {
                    KeyPolicy policy = new KeyPolicy(issued.id(), valid.name(), valid.repository(), valid.models(),
                            valid.tokensPerDay(), valid.tokensPerMonth(), valid.costPerDay(), valid.costPerMonth(),
                            valid.requestsPerMinute(), valid.tokensPerMinute(), issued.expiresAt(), Instant.now(), admin,
                            null, null);
                    return store.insert(policy)
                            // a token without its policy would be a key without limits: take it back
                            .onFailure().call(failure -> scanner.revoke(authorization, issued.id())
                                    .onFailure().invoke(e -> LOG.errorf("Key '%s': its policy could not be stored and "
                                            + "its token (id %s) could not be revoked: %s; revoke it with DELETE "
                                            + "/api/tokens/%s at the scanner", valid.name(), issued.id(), e.getMessage(),
                                            issued.id()))
                                    .onFailure().recoverWithNull())
                            .map(ignored -> {
                                LOG.infof("Key '%s' (id %s, repository %s, models %s) created by %s", valid.name(),
                                        issued.id(), valid.repository(), valid.models(), admin);
                                return Response.status(201).entity(new CreatedKey(issued.token(), KeyView.of(policy,
                                        new KeyView.Spent(KeyView.Amount.NONE, KeyView.Amount.NONE)))).build();
                            });
                });
    }

    /** @return the keys not deleted (of the admin's repository, for an admin restricted to one), newest first */
    @GET
    @Operation(operationId = "listKeys", summary = "Keys with their policy and what they spent today and this month "
            + "(never the keys themselves)")
    @APIResponse(responseCode = "200")
    public Uni<List<KeyView>> list() {
        Instant now = Instant.now();
        return store.live(Callers.repository(caller).orElse(null))
                .chain(policies -> store.spent(policies.stream().map(KeyPolicy::id).toList(), now)
                        .map(spent -> policies.stream().map(p -> KeyView.of(p, spent.get(p.id()))).toList()));
    }

    /**
     * @param id            the key's id
     * @param authorization the admin's own {@code Authorization}, sent on to the scanner
     * @return the key as it was when deleted
     */
    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteKey", summary = "Delete a key: its token is revoked at the scanner and every "
            + "gateway replica refuses it within drep.gateway.keys.cache-time")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", description = "no key with this id")
    @APIResponse(responseCode = "503", description = "the scanner, which revokes the key's token, did not answer")
    public Uni<KeyView> delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String admin = caller.getPrincipal().getName();
        return store.find(id).chain(found -> {
            KeyPolicy key = found.orElseThrow(() -> new GatewayException(404, GatewayException.INVALID_REQUEST, "id",
                    "key_not_found", "No key with id '" + id + "'; GET /api/keys lists them."));
            if (key.repository() == null) {
                Callers.requireUnrestricted(caller, "deleting a key for every repository");
            } else {
                Callers.requireRepository(caller, key.repository());
            }
            return scanner.revoke(authorization, key.id())
                    .chain(() -> store.end(key.id(), admin))
                    .map(ended -> {
                        keys.forget(key.id());
                        LOG.infof("Key '%s' (id %s) deleted by %s", key.name(), key.id(), admin);
                        return KeyView.of(ended.orElse(key), null);
                    });
        });
    }

    private KeyRequest validate(KeyRequest request) {
        if (request == null) {
            throw invalid(null, "The request body is required: {\"name\": \"team-a\", \"repository\": \"acme/app\", "
                    + "\"models\": [\"default\"], \"tokensPerDay\": 1000000}.");
        }
        String name = request.name() == null ? "" : request.name().trim();
        if (!NAME.matcher(name).matches()) {
            throw invalid("name", "Field 'name' is required: up to 200 letters, digits, spaces and . _ : / @ -, "
                    + "starting with a letter or digit.");
        }
        String repository = request.repository() == null || request.repository().isBlank() ? null
                : request.repository().trim();
        if (repository != null && !REPOSITORY.matcher(repository).matches()) {
            throw invalid("repository", "Field 'repository' must be a repository's full name, owner/name, got '"
                    + repository + "'.");
        }
        // An admin restricted to a repository cannot see the others: it issues keys for its own only.
        if (repository == null) {
            Callers.requireUnrestricted(caller, "a key for every repository");
        } else {
            Callers.requireRepository(caller, repository);
        }
        List<String> models = null;
        if (request.models() != null) {
            if (request.models().isEmpty()) {
                throw invalid("models", "Field 'models' lists no alias: name the aliases the key may use, or leave "
                        + "the field out to allow every alias.");
            }
            LinkedHashSet<String> aliases = new LinkedHashSet<>();
            for (String alias : request.models()) {
                String trimmed = alias == null ? "" : alias.trim();
                if (catalog.resolve(trimmed).isEmpty()) {
                    throw invalid("models", "Field 'models' names an unknown model alias '" + trimmed
                            + "'; known aliases: " + String.join(", ", catalog.routes().keySet()) + ".");
                }
                aliases.add(trimmed);
            }
            models = List.copyOf(aliases);
        }
        positive("tokensPerDay", request.tokensPerDay());
        positive("tokensPerMonth", request.tokensPerMonth());
        positive("costPerDay", request.costPerDay());
        positive("costPerMonth", request.costPerMonth());
        positive("requestsPerMinute", request.requestsPerMinute() == null ? null : request.requestsPerMinute().longValue());
        positive("tokensPerMinute", request.tokensPerMinute());
        String expiresIn = request.expiresIn() == null || request.expiresIn().isBlank() ? null : request.expiresIn().trim();
        return new KeyRequest(name, repository, models, request.tokensPerDay(), request.tokensPerMonth(),
                request.costPerDay(), request.costPerMonth(), request.requestsPerMinute(), request.tokensPerMinute(),
                expiresIn);
    }

    private static void positive(String field, Long value) {
        if (value != null && value <= 0) {
            throw invalid(field, "Field '" + field + "' must be positive, got " + value + "; leave it out for no limit.");
        }
    }

    private static void positive(String field, BigDecimal value) {
        if (value != null && value.signum() <= 0) {
            throw invalid(field, "Field '" + field + "' must be positive, got " + value.toPlainString()
                    + "; leave it out for no limit.");
        }
    }

    private static GatewayException invalid(String field, String message) {
        return GatewayException.invalidRequest(field, "invalid_value", message);
    }
}
