package dev.drep.scanner.repository;

import dev.drep.core.platform.HostRuleViolation;
import dev.drep.core.platform.HostRules;
import dev.drep.core.platform.Platform;
import dev.drep.scanner.api.ApiError;
import dev.drep.scanner.secrets.SecretReferences;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;

/** Checks a registration and turns it into an entity; every refusal names the field and what to send. */
final class RegistrationRules {
    private static final Pattern NAME_SEGMENT = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]*");
    private static final Pattern PROJECT_ID = Pattern.compile("[0-9]{1,19}");
    private static final int MAX_NAME_LENGTH = 255;

    private RegistrationRules() {
    }

    /**
     * Checks the body's form and, with {@code hosts}, where its URLs point and whether its token may go
     * there. Blocking: host names are resolved.
     */
    static RegisteredRepository validate(RepositoryRegistration body, HostRules hosts) {
        if (body == null) {
            throw ApiError.badRequest("the request body is required: {\"platform\": \"github\", \"fullName\": \"owner/name\", "
                    + "\"cloneUrl\": \"https://github.com/owner/name.git\", \"tokenRef\": \"...\"}");
        }
        Platform platform = Platform.fromId(body.platform()).orElseThrow(() -> ApiError.badRequest(
                "field 'platform' must be one of " + Platform.names() + ", got '" + body.platform() + "'"));
        RegisteredRepository r = new RegisteredRepository();
        r.platformId = platform.id();
        r.fullName = fullName(platform, body.fullName());
        URI clone = url("cloneUrl", body.cloneUrl(), true);
        r.cloneUrl = clone.toString();
        r.apiUrl = apiUrl(platform, body.apiUrl(), clone);
        r.projectId = projectId(platform, body.projectId());
        r.defaultBranch = branch(body.defaultBranch());
        if (body.webhookSecretRef() != null) {
            // a shared secret let the admin of one repository forge deliveries for all the others
            throw ApiError.badRequest("field 'webhookSecretRef' is no longer accepted: drep gives every repository its own "
                    + "webhook secret, shown in the answer to this registration; leave the field out");
        }
        r.tokenRef = reference("tokenRef", body.tokenRef());
        try {
            hosts.checkRegistration(platform, r.tokenRef, clone, r.apiUrl);
        } catch (HostRuleViolation e) {
            throw ApiError.badRequest(e.getMessage());
        }
        return r;
    }

    private static String fullName(Platform platform, String value) {
        if (value == null || value.isBlank()) {
            throw ApiError.badRequest("field 'fullName' is required: owner/name"
                    + (platform == Platform.GITLAB ? " (GitLab: the project path with its groups, e.g. group/sub/name)" : ""));
        }
        String name = value.trim();
        String[] segments = name.split("/", -1);
        boolean shapeOk = platform == Platform.GITLAB ? segments.length >= 2 : segments.length == 2;
        if (!shapeOk || name.length() > MAX_NAME_LENGTH) {
            throw ApiError.badRequest("field 'fullName' must be " + (platform == Platform.GITLAB
                    ? "a GitLab project path such as group/name or group/sub/name" : "owner/name") + ", got '" + name + "'");
        }
        for (String segment : segments) {
            if (!NAME_SEGMENT.matcher(segment).matches()) {
                throw ApiError.badRequest("field 'fullName' has an invalid part '" + segment
                        + "': use letters, digits, '.', '_' and '-'");
            }
        }
        return name;
    }

    /** Parses an http(s) or file URL; refuses credentials in it, which would end up in logs and on disk. */
    private static URI url(String field, String value, boolean allowFile) {
        if (value == null || value.isBlank()) {
            throw ApiError.badRequest("field '" + field + "' is required");
        }
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw ApiError.badRequest("field '" + field + "' is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean schemeOk = scheme.equals("https") || scheme.equals("http") || (allowFile && scheme.equals("file"));
        if (!schemeOk) {
            throw ApiError.badRequest("field '" + field + "' must be an https URL" + (allowFile ? " (or file: for a local repository)" : "")
                    + "; drep authenticates with the token reference, so ssh URLs are not supported");
        }
        if (uri.getRawUserInfo() != null) {
            // never echo the URL: the user info may hold a token
            throw ApiError.badRequest("field '" + field + "' must not contain a user name or token; put the token into a "
                    + "secret and name it in 'tokenRef'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw ApiError.badRequest("field '" + field + "' must not have a query or fragment");
        }
        if (!scheme.equals("file") && (uri.getHost() == null || uri.getHost().isBlank())) {
            throw ApiError.badRequest("field '" + field + "' has no host");
        }
        return uri;
    }

    /** The API root; when not given, derived from the clone URL's origin (see {@link Platform#defaultApiUrl}). */
    private static String apiUrl(Platform platform, String value, URI clone) {
        if (value == null || value.isBlank()) {
            if (clone.getHost() == null || "file".equalsIgnoreCase(clone.getScheme())) {
                throw ApiError.badRequest("field 'apiUrl' is required for this repository: the API root, e.g. "
                        + platform.apiUrlExample());
            }
            return platform.defaultApiUrl(clone);
        }
        String api = url("apiUrl", value, false).toString();
        return api.endsWith("/") ? api.substring(0, api.length() - 1) : api;
    }

    private static String projectId(Platform platform, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (platform != Platform.GITLAB) {
            throw ApiError.badRequest("field 'projectId' applies to GitLab only; leave it out for " + platform.id());
        }
        if (!PROJECT_ID.matcher(value.trim()).matches()) {
            throw ApiError.badRequest("field 'projectId' must be GitLab's numeric project id, got '" + value + "'");
        }
        return value.trim();
    }

    private static String branch(String value) {
        if (value == null || value.isBlank()) {
            return "main";
        }
        String branch = value.trim();
        if (branch.startsWith("refs/") || !Repository.isValidRefName("refs/heads/" + branch)) {
            throw ApiError.badRequest("field 'defaultBranch' must be a branch name such as main, got '" + branch + "'");
        }
        return branch;
    }

    private static String reference(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String name = value.trim();
        if (!SecretReferences.isValidName(name)) {
            // a reference that fails the rule may be a pasted secret: do not echo it
            throw ApiError.badRequest("field '" + field + "' must be the name of a configured secret (lower-case letters, "
                    + "digits and '-', e.g. github-token), not the secret itself");
        }
        return name;
    }
}
