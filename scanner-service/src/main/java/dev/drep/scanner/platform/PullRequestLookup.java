package dev.drep.scanner.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.core.platform.HostRuleViolation;
import dev.drep.core.platform.Platform;
import dev.drep.core.platform.ResponseLimit;
import dev.drep.platformaccess.PlatformClient;
import dev.drep.scanner.ScannerConfig;
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

/**
 * Looks a pull (merge) request up through the platform's REST API, for reviews requested by number
 * ({@code POST /api/reviews}), with the {@link PlatformClient} the publisher's adapters use too. Blocking:
 * call it from a worker thread. Webhooks never need it: their
 * payloads carry the commits.
 */
@ApplicationScoped
public class PullRequestLookup {
    private final PlatformClient http;
    private final ObjectMapper json;
    private final SecretReferences secrets;
    private final Duration timeout;

    public PullRequestLookup(Vertx vertx, ObjectMapper json, SecretReferences secrets, ScannerConfig config,
            PlatformAccess access) {
        this.json = json;
        this.secrets = secrets;
        this.timeout = config.platformTimeout();
        this.http = new PlatformClient(vertx, "drep-scanner", timeout, access.rules(), access.maxResponseBytes());
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /**
     * @throws PlatformProblem when the pull request does not exist, the token is refused or the API is unreachable
     * @throws HostRuleViolation when the host rules refuse the API URL or the token for it (no request is sent)
     */
    public PullRequestInfo find(RepositorySnapshot repository, int number) {
        Optional<String> token = repository.tokenRef() == null ? Optional.empty() : secrets.resolve(repository.tokenRef());
        if (repository.tokenRef() != null && token.isEmpty()) {
            throw new PlatformProblem("the token reference '" + repository.tokenRef() + "' of " + repository.fullName()
                    + " is not configured: set " + SecretReferences.environmentVariable(repository.tokenRef()), false);
        }
        String what = (repository.platform() == Platform.GITLAB ? "merge request !" : "pull request #")
                + number + " of " + repository.fullName();
        String url = repository.platform().apiRoot(repository.apiUrl()) + path(repository, number);
        PlatformClient.Answer response;
        try {
            // the client checks the host rules at each use, not only at registration: configuration may
            // have changed since, and a row may have been written by hand
            response = http.send(new PlatformClient.Request("looking up " + what, repository.tokenRef(), HttpMethod.GET,
                    url, repository.platform().requestHeaders(token.orElse(null)), null, timeout));
        } catch (HostRuleViolation e) {
            throw e;
        } catch (ResponseLimit.TooLarge e) {
            throw new PlatformProblem(e.getMessage(), false);
        } catch (RuntimeException e) {
            String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            throw new PlatformProblem("could not reach " + repository.platform().id() + " at " + repository.apiUrl()
                    + " to look up " + what + ": " + token.map(t -> reason.replace(t, "***")).orElse(reason), false);
        }
        String body = response.body();
        int status = response.status();
        if (status == 404) {
            throw new PlatformProblem("no " + what + " on " + repository.platform().id()
                    + " (or the token cannot see it)", true);
        }
        if (status == 401 || status == 403) {
            throw new PlatformProblem(repository.platform().id() + " refused " + (token.isPresent()
                    ? "the token '" + repository.tokenRef() + "'" : "anonymous access") + " (HTTP " + status + ") looking up "
                    + what, false);
        }
        if (status / 100 != 2) {
            throw new PlatformProblem(repository.platform().id() + " answered HTTP " + status + " looking up " + what, false);
        }
        try {
            return parse(repository, number, json.readTree(body));
        } catch (IOException | RuntimeException e) {
            throw new PlatformProblem(repository.platform().id() + " answered with an unexpected body looking up " + what
                    + ": " + e.getMessage(), false);
        }
    }

    private static String path(RepositorySnapshot repository, int number) {
        return switch (repository.platform()) {
            case GITHUB, GITEA -> "/repos/" + segments(repository.fullName()) + "/pulls/" + number;
            case GITLAB -> "/projects/" + (repository.projectId() != null ? repository.projectId()
                    : URLEncoder.encode(repository.fullName(), StandardCharsets.UTF_8)) + "/merge_requests/" + number;
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

    private static PullRequestInfo parse(RepositorySnapshot repository, int number, JsonNode body) {
        return switch (repository.platform()) {
            case GITHUB, GITEA -> new PullRequestInfo(number, "open".equals(text(body, "state")),
                    required(body.path("base"), "ref", "base.ref"), text(body.path("base"), "sha"),
                    required(body.path("head"), "sha", "head.sha"), text(body.path("user"), "login"));
            case GITLAB -> {
                JsonNode refs = body.path("diff_refs");
                String head = text(refs, "head_sha") != null ? text(refs, "head_sha") : required(body, "sha", "sha");
                yield new PullRequestInfo(number, "opened".equals(text(body, "state")),
                        required(body, "target_branch", "target_branch"), text(refs, "start_sha"), head,
                        text(body.path("author"), "username"));
            }
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static String required(JsonNode node, String field, String name) {
        String value = text(node, field);
        if (value == null) {
            throw new IllegalArgumentException("field '" + name + "' is missing");
        }
        return value;
    }
}
