package dev.drep.scanner.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.drep.core.platform.HostRuleViolation;
import dev.drep.core.platform.Platform;
import dev.drep.platformaccess.PlatformClient;
import dev.drep.scanner.ScannerConfig;
import dev.drep.scanner.platform.PlatformAccess;
import dev.drep.scanner.platform.PlatformProblem;
import dev.drep.scanner.repository.RepositorySnapshot;
import dev.drep.scanner.secrets.SecretReferences;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Whether a user may give drep commands on a repository: write access, as the platform says — GitHub's collaborator
 * permission ({@code admin}, {@code maintain} or {@code write}), Gitea's ({@code owner}, {@code admin} or
 * {@code write}), GitLab's member access level (Developer, 30, or more, inherited memberships included). Answers
 * are kept for {@code drep.scanner.commands.permission-cache-time} (60 s), so a burst of commands asks once and a
 * revoked permission holds within a minute. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class WritePermissions {
    private static final Set<String> WRITE = Set.of("admin", "maintain", "write", "owner");
    private static final int GITLAB_DEVELOPER = 30;

    private record Key(UUID repository, String login) {
    }

    private final PlatformClient http;
    private final ObjectMapper json;
    private final SecretReferences secrets;
    private final Duration timeout;
    private final Cache<Key, Boolean> answers;

    public WritePermissions(Vertx vertx, ObjectMapper json, SecretReferences secrets, ScannerConfig config,
            PlatformAccess access) {
        this.json = json;
        this.secrets = secrets;
        this.timeout = config.platformTimeout();
        this.http = new PlatformClient(vertx, "drep-scanner", timeout, access.rules(), access.maxResponseBytes());
        this.answers = Caffeine.newBuilder().expireAfterWrite(config.commands().permissionCacheTime())
                .maximumSize(10_000).build();
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /**
     * @param login  the user's login (GitLab: username)
     * @param userId the user's numeric id (GitLab asks by id), or null
     * @return true when the user may write to the repository
     * @throws PlatformProblem when the platform cannot be asked (not cached: the next command asks again)
     * @throws HostRuleViolation when the host rules refuse the API URL or the token for it
     */
    public boolean mayWrite(RepositorySnapshot repository, String login, Long userId) {
        Key key = new Key(repository.id(), login.toLowerCase(java.util.Locale.ROOT));
        Boolean known = answers.getIfPresent(key);
        if (known != null) {
            return known;
        }
        boolean answer = ask(repository, login, userId);
        answers.put(key, answer);
        return answer;
    }

    private boolean ask(RepositorySnapshot repository, String login, Long userId) {
        if (repository.platform() == Platform.GITLAB && userId == null) {
            return false; // GitLab's note events always carry user.id; without it nobody can be looked up
        }
        Optional<String> token = repository.tokenRef() == null ? Optional.empty() : secrets.resolve(repository.tokenRef());
        String what = "the permission of " + login + " on " + repository.fullName();
        String root = repository.platform().apiRoot(repository.apiUrl());
        String url = switch (repository.platform()) {
            case GITHUB, GITEA -> root + "/repos/" + segments(repository.fullName()) + "/collaborators/"
                    + URLEncoder.encode(login, StandardCharsets.UTF_8) + "/permission";
            case GITLAB -> root + "/projects/" + (repository.projectId() != null ? repository.projectId()
                    : URLEncoder.encode(repository.fullName(), StandardCharsets.UTF_8)) + "/members/all/" + userId;
        };
        PlatformClient.Answer response;
        try {
            response = http.send(new PlatformClient.Request("looking up " + what, repository.tokenRef(), HttpMethod.GET,
                    url, repository.platform().requestHeaders(token.orElse(null)), null, timeout));
        } catch (HostRuleViolation e) {
            throw e;
        } catch (RuntimeException e) {
            String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            throw new PlatformProblem("could not reach " + repository.platform().id() + " at " + repository.apiUrl()
                    + " to look up " + what + ": " + token.map(t -> reason.replace(t, "***")).orElse(reason), false);
        }
        int status = response.status();
        if (status == 404) {
            return false; // not a member or collaborator (or no such user)
        }
        if (status / 100 != 2) {
            throw new PlatformProblem(repository.platform().id() + " answered HTTP " + status + " looking up " + what
                    + (status == 401 || status == 403 ? ": the token '" + repository.tokenRef() + "' needs to read the "
                    + "repository's collaborators (members)" : ""), false);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new PlatformProblem(repository.platform().id() + " answered with an unexpected body looking up " + what,
                    false);
        }
        return switch (repository.platform()) {
            case GITHUB, GITEA -> WRITE.contains(body.path("permission").asText("")) || WRITE.contains(
                    body.path("role_name").asText(""));
            case GITLAB -> body.path("access_level").asInt(0) >= GITLAB_DEVELOPER
                    && !"blocked".equals(body.path("state").asText(""));
        };
    }

    private static String segments(String fullName) {
        StringBuilder path = new StringBuilder();
        for (String segment : fullName.split("/")) {
            if (!path.isEmpty()) {
                path.append('/');
            }
            path.append(URLEncoder.encode(segment, StandardCharsets.UTF_8));
        }
        return path.toString();
    }
}
