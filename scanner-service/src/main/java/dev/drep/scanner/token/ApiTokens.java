package dev.drep.scanner.token;

import dev.drep.contracts.TokenIntrospection;
import dev.drep.identity.ApiTokenDirectory;
import dev.drep.identity.TokenGrant;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The stored API tokens ({@code scanner.api_token}): created, listed, revoked, and looked up by hash for every request
 * that carries one. Plain SQL on the reactive pool: the lookup runs inside authentication, before any Hibernate
 * session of the request exists.
 */
@ApplicationScoped
public class ApiTokens implements ApiTokenDirectory {
    private static final String COLUMNS = "id, name, scopes, repository, created_at, created_by, expires_at, revoked_at";
    private final Pool pool;

    public ApiTokens(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<TokenGrant> find(String tokenSha256) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM scanner.api_token WHERE token_sha256 = $1")
                .execute(Tuple.of(tokenSha256))
                .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()).grant());
    }

    /** @return what the token with this SHA-256 grants now ({@link TokenIntrospection#UNKNOWN} when no token has it) */
    Uni<TokenIntrospection> introspect(String tokenSha256) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM scanner.api_token WHERE token_sha256 = $1")
                .execute(Tuple.of(tokenSha256))
                .map(rows -> rows.size() == 0 ? TokenIntrospection.UNKNOWN : introspection(view(rows.iterator().next()), Instant.now()));
    }

    static TokenIntrospection introspection(TokenView token, Instant now) {
        boolean active = token.revokedAt() == null && (token.expiresAt() == null || token.expiresAt().isAfter(now));
        return new TokenIntrospection(active, token.id(), token.name(), token.scopes(), token.repository(), token.expiresAt(),
                token.revokedAt());
    }

    Uni<TokenView> create(String name, Set<String> scopes, String repository, Instant expiresAt, String createdBy,
            String tokenSha256) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        return pool.preparedQuery("INSERT INTO scanner.api_token (id, name, token_sha256, scopes, repository, created_at, "
                        + "created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.tuple(Arrays.asList(id, name, tokenSha256, String.join(",", scopes), repository, utc(now), createdBy,
                        expiresAt == null ? null : utc(expiresAt))))
                .replaceWith(new TokenView(id.toString(), name, List.copyOf(scopes), repository, now, createdBy, expiresAt, null));
    }

    Uni<List<TokenView>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM scanner.api_token ORDER BY created_at DESC, id").execute()
                .map(ApiTokens::views);
    }

    /** @return the token after revoking it (revoking twice keeps the first time), or a null item when unknown */
    Uni<TokenView> revoke(UUID id) {
        return pool.preparedQuery("UPDATE scanner.api_token SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 "
                        + "RETURNING " + COLUMNS)
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
    }

    private static List<TokenView> views(RowSet<Row> rows) {
        List<TokenView> views = new ArrayList<>();
        rows.forEach(row -> views.add(view(row)));
        return views;
    }

    private static TokenView view(Row row) {
        Set<String> scopes = new LinkedHashSet<>(Arrays.asList(row.getString("scopes").split(",")));
        return new TokenView(row.getUUID("id").toString(), row.getString("name"), List.copyOf(scopes), row.getString("repository"),
                instant(row.getOffsetDateTime("created_at")), row.getString("created_by"),
                instant(row.getOffsetDateTime("expires_at")), instant(row.getOffsetDateTime("revoked_at")));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
