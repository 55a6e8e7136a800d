package dev.drep.scanner.repository;

import dev.drep.core.platform.Platform;
import dev.drep.scanner.webhook.WebhookSetup;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** A repository registered with drep: where to fetch it, where its API is, and the names of its secrets. */
@Entity
@Table(name = "repository")
public class RegisteredRepository extends PanacheEntityBase {
    @Id
    public UUID id;
    /** stored in lower case, as the check constraint wants */
    @Column(name = "platform")
    public String platformId;
    @Column(name = "full_name")
    public String fullName;
    @Column(name = "clone_url")
    public String cloneUrl;
    @Column(name = "api_url")
    public String apiUrl;
    @Column(name = "project_id")
    public String projectId;
    @Column(name = "default_branch")
    public String defaultBranch;
    @Column(name = "token_ref")
    public String tokenRef;
    @Column(name = "last_scanned_commit")
    public String lastScannedCommit;
    @Column(name = "last_scanned_at")
    public Instant lastScannedAt;
    @Column(name = "created_at")
    public Instant createdAt;

    /** @return the platform */
    public Platform platform() {
        return Platform.fromId(platformId).orElseThrow();
    }

    /** @return the repository registered for {@code platform} under {@code fullName} (any case), or null */
    public static Uni<RegisteredRepository> findByName(Platform platform, String fullName) {
        return find("platformId = ?1 and lower(fullName) = ?2", platform.id(), fullName.trim().toLowerCase(Locale.ROOT))
                .firstResult();
    }

    /** @return the values planning needs, detached from the session */
    public RepositorySnapshot snapshot() {
        return new RepositorySnapshot(id, platform(), fullName, cloneUrl, apiUrl, projectId, defaultBranch, tokenRef);
    }

    /** @return the API view */
    public RepositoryView view(WebhookSetup webhook, boolean tokenConfigured) {
        return new RepositoryView(id.toString(), platformId, fullName, cloneUrl, apiUrl, projectId, defaultBranch,
                webhook, tokenRef, tokenConfigured, lastScannedCommit, createdAt);
    }
}
